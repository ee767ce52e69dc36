package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * Lost positions fail closed: binlogs purged while the task was stopped, or change records that
 * Kafka's retention deleted before data-process read them, stop the task with DRS-4092 and the
 * operator action (a full sync) instead of silently skipping changes. The full sync reads the
 * table again and removes from Milvus the rows deleted meanwhile (the snapshot's sweep), so
 * Milvus equals the source again, vectors included.
 */
class LostPositionIT extends RunningSuite {

    private static final Map<String, String> FIELDS = Map.of("title", "VARCHAR", "content", "VARCHAR");

    /** What a test does to the source while the task is stopped, to take its log position away. */
    @FunctionalInterface
    private interface PositionLoss {
        void inflict(Statement sql, String taskId) throws Exception;
    }

    @Test
    void purgedBinlogsFailTheTaskClosedAndAFullSyncMakesMilvusExactAgain() throws Exception {
        failsClosedWhileStoppedThenAFullSyncRecovers(new MariaDbE2eTable(), "lost_binlog_", "log-listener", (sql, taskId) -> {
            sql.execute("FLUSH BINARY LOGS");
            String active;
            try (ResultSet rs = sql.executeQuery("SHOW MASTER STATUS")) {
                assertThat(rs.next()).isTrue();
                active = rs.getString(1);
            }
            // MariaDB keeps a log a binlog reader still holds; the stopped task's reader lets go shortly.
            await("binlogs before " + active + " purged").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        sql.execute("PURGE BINARY LOGS TO '" + active + "'");
                        try (ResultSet logs = sql.executeQuery("SHOW BINARY LOGS")) {
                            return logs.next() && logs.getString(1).equals(active);
                        }
                    });
        });
    }

    @Test
    void aReplicationSlotDroppedWhileStoppedFailsTheTaskClosedAndAFullSyncMakesMilvusExactAgain() throws Exception {
        failsClosedWhileStoppedThenAFullSyncRecovers(new PostgresE2eTable(), "lost_slot_", "replication slot",
                (sql, taskId) -> {
                    // The stopped task's walsender lets the slot go shortly; then it is dropped behind its back.
                    await("slot dropped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                        try (ResultSet rs = sql.executeQuery("SELECT pg_drop_replication_slot(slot_name) FROM "
                                + "pg_replication_slots WHERE slot_name = 'drs_" + taskId + "' AND NOT active")) {
                            rs.next();
                        }
                        try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM pg_replication_slots "
                                + "WHERE slot_name = 'drs_" + taskId + "'")) {
                            return rs.next() && rs.getInt(1) == 0;
                        }
                    });
                });
    }

    /**
     * Snapshot, stop, change the source and lose the position meanwhile; the start then fails with
     * DRS-4092 naming {@code reason} and a full sync; the full sync makes Milvus exact again.
     */
    private void failsClosedWhileStoppedThenAFullSyncRecovers(E2eTable source, String prefix, String reason,
            PositionLoss loss) throws Exception {
        String taskId = prefix + runId();
        seed(source, taskId);
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement sql = db.createStatement()) {
            try {
                client.startTask(source.titleBodyDefinition(taskId, List.of("lost_docs")));
                client.awaitMirror(() -> expected(source), FIELDS, taskId, "after the snapshot");
                assertThat(client.action(taskId, "stop").statusCode()).isEqualTo(200);
                awaitState(client, taskId, "STOPPED");

                changeWhileAway(sql, taskId);
                loss.inflict(sql, taskId);

                assertThat(client.action(taskId, "start").statusCode()).isEqualTo(200);
                JsonNode failed = awaitState(client, taskId, "FAILED");
                assertThat(failed.path("errorCode").asText()).isEqualTo("DRS-4092");
                assertThat(failed.path("message").asText()).contains(reason).contains("full sync");

                fullSyncAndAwaitMirror(client, source, taskId);
            } finally {
                client.deleteTask(taskId, true);
                source.dropCaptureState(taskId);
            }
        }
    }

    @Test
    void changeRecordsDeletedBeforeTheyWereReadFailTheTaskClosedAndAFullSyncMakesMilvusExactAgain() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "lost_kafka_" + runId();
        seed(source, taskId);
        String topic = "rsync.changes." + taskId;
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement sql = db.createStatement();
             Admin kafka = Admin.create(LocalInfra.get().kafkaClient(Map.of()))) {
            try {
                client.startTask(source.titleBodyDefinition(taskId, List.of("lost_docs")));
                client.awaitMirror(() -> expected(source), FIELDS, taskId, "after the snapshot");

                SuiteProcesses.stop("data-process");
                long before = TopicOffsets.total(kafka, topic);
                changeWhileAway(sql, taskId);
                // 4 inserts, 3 deletes and 1 update reach the topic, unread.
                await().atMost(Duration.ofMinutes(1)).until(() -> TopicOffsets.total(kafka, topic) >= before + 8);
                TopicOffsets.deleteEverything(kafka, topic);
                SuiteProcesses.start("data-process");

                JsonNode failed = awaitState(client, taskId, "FAILED");
                assertThat(failed.path("errorCode").asText()).isEqualTo("DRS-4092");
                assertThat(failed.path("message").asText()).contains("data-process").contains("retention");

                fullSyncAndAwaitMirror(client, source, taskId);
            } finally {
                SuiteProcesses.start("data-process");
                client.deleteTask(taskId, true);
            }
        }
    }

    private static void fullSyncAndAwaitMirror(DataPathClient client, E2eTable source, String taskId) {
        HttpResponse<String> fullSync = client.action(taskId, "full-sync");
        assertThat(fullSync.statusCode()).as(fullSync.body()).isEqualTo(200);
        awaitState(client, taskId, "RUNNING");
        client.awaitMirror(() -> expected(source), FIELDS, taskId, "after the full sync");
    }

    private static JsonNode awaitState(DataPathClient client, String taskId, String state) {
        JsonNode[] last = new JsonNode[1];
        await(taskId + " " + state).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    last[0] = client.taskStatus(taskId);
                    return state.equals(last[0].path("state").asText());
                });
        return last[0];
    }

    private static void seed(E2eTable source, String taskId) throws SQLException {
        StringBuilder rows = new StringBuilder();
        for (int id = 1; id <= 20; id++) {
            rows.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'row ").append(id).append(' ')
                    .append(taskId).append("', 'body of row ").append(id).append("')");
        }
        boolean postgres = source instanceof PostgresE2eTable;
        source.create("lost_docs", "CREATE TABLE lost_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT)"
                + (postgres ? "" : " CHARACTER SET utf8mb4"),
                postgres ? "ALTER TABLE lost_docs REPLICA IDENTITY FULL" : "SELECT 1",
                "INSERT INTO lost_docs VALUES " + rows);
    }

    /** Deletes three rows, inserts four and updates one: what the lost log or records held. */
    private static void changeWhileAway(Statement sql, String taskId) throws SQLException {
        sql.execute("DELETE FROM lost_docs WHERE id IN (2, 5, 9)");
        for (int id = 21; id <= 24; id++) {
            sql.execute("INSERT INTO lost_docs VALUES (" + id + ", 'row " + id + " " + taskId + "', 'added while away')");
        }
        sql.execute("UPDATE lost_docs SET title = 'row 3 changed " + taskId + "' WHERE id = 3");
    }

    private static Map<String, Map<String, Object>> expected(E2eTable source) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        try (Connection c = source.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, title, body FROM lost_docs")) {
            while (rs.next()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("title", rs.getString("title"));
                e.put("content", rs.getString("body"));
                out.put(Integer.toString(rs.getInt("id")), e);
            }
        }
        return out;
    }
}
