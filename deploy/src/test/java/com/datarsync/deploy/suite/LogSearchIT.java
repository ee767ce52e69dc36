package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.read;
import static com.datarsync.deploy.suite.SuiteProcesses.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The log search ({@code GET /api/monitor/logs}) finds one task's error lines from three
 * services within a time window. The errors are real ones: the task's source (PostgreSQL) is
 * stopped under log-listener; then records milvus-sync, and later data-process, had not read
 * yet are deleted from Kafka while that service is down (what retention would do). Each of the
 * three writes ERROR lines from the task's threads (Debezium's own lines count as the task's).
 * Lines outside the window, of other tasks and below the asked level are not answered.
 */
class LogSearchIT extends RunningSuite {

    private static final Set<String> STAGES = Set.of("log-listener", "data-process", "milvus-sync");

    @Test
    void aTasksErrorLinesFromThreeServicesWithinATimeWindow() throws Exception {
        PostgresE2eTable source = new PostgresE2eTable();
        String taskId = "logs_" + runId();
        StringBuilder rows = new StringBuilder();
        for (int id = 1; id <= 10; id++) {
            rows.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'row ").append(id).append("', 'body')");
        }
        source.create("log_docs", "CREATE TABLE log_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT)",
                "ALTER TABLE log_docs REPLICA IDENTITY FULL", "INSERT INTO log_docs VALUES " + rows);
        String changes = "rsync.changes." + taskId;
        String vectors = "rsync.vectors." + taskId;
        try (DataPathClient client = new DataPathClient(); Admin kafka = Admin.create(
                     LocalInfra.get().kafkaClient(Map.of()))) {
            try {
                client.startTask(source.titleBodyDefinition(taskId, List.of("log_docs")));
                await("the snapshot's vectors in Kafka").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions().until(() -> TopicOffsets.total(kafka, vectors) >= 10 && client.taskStatus(taskId)
                                .path("state").asText().equals("RUNNING"));
                Instant from = Instant.now().minusSeconds(1);

                // 1. log-listener: its source goes away under it, and comes back.
                SuiteProcesses.stop("postgres");
                awaitState(client, taskId, "RETRYING");
                SuiteProcesses.start("postgres");
                awaitState(client, taskId, "RUNNING");

                // 2. milvus-sync: vector records it had not read are deleted; a full sync recovers.
                loseUnreadRecords(client, kafka, source, taskId, "milvus-sync", vectors, 11);
                assertThat(client.action(taskId, "full-sync").statusCode()).isEqualTo(200);
                awaitState(client, taskId, "RUNNING");

                // 3. data-process: change records it had not read are deleted.
                loseUnreadRecords(client, kafka, source, taskId, "data-process", changes, 13);
                Instant to = Instant.now().plusSeconds(1);

                // Every stage's error line has been written once the task is FAILED; the search
                // may still be a moment behind the files' buffers.
                JsonNode[] found = new JsonNode[1];
                await("error lines of " + taskId + " from " + STAGES).atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                            found[0] = logs(from, to, "ERROR", taskId, null);
                            assertThat(services(found[0])).containsAll(STAGES);
                        });
                JsonNode lines = found[0].path("lines");
                for (JsonNode line : lines) {
                    assertThat(line.path("task").asText()).isEqualTo(taskId);
                    assertThat(line.path("level").asText()).isEqualTo("ERROR");
                    Instant at = Instant.parse(line.path("timestamp").asText());
                    assertThat(at).isAfterOrEqualTo(from).isBefore(to);
                }
                // The listener's are Debezium's own (its connector names the task), the consumers' ours.
                assertThat(field(lines, "log-listener", "logger")).anySatisfy(l -> assertThat(l).startsWith("io.debezium"));
                assertThat(field(lines, "data-process", "message")).anySatisfy(m -> assertThat(m).contains(changes));
                assertThat(field(lines, "milvus-sync", "message")).anySatisfy(m -> assertThat(m).contains(vectors));
                assertThat(found[0].path("matched").asLong()).isEqualTo(lines.size());
                Map<String, Integer> perService = new java.util.TreeMap<>();
                lines.forEach(l -> perService.merge(l.path("service").asText(), 1, Integer::sum));
                System.out.printf("Log search: %d ERROR lines of task %s in [%s, %s), per service %s, %d files read%n",
                        lines.size(), taskId, from, to, perService, found[0].path("filesRead").asInt());

                // The text narrows to the consumers' lines; the window, the task and the level exclude.
                assertThat(services(logs(from, to, "ERROR", taskId, "records it had not read")))
                        .containsExactlyInAnyOrder("data-process", "milvus-sync");
                assertThat(logs(to, to.plusSeconds(1), "ERROR", taskId, null).path("lines")).isEmpty();
                assertThat(logs(from.minusSeconds(600), from, "ERROR", taskId, null).path("lines")).isEmpty();
                assertThat(logs(from, to, "ERROR", taskId + "_other", null).path("lines")).isEmpty();
                JsonNode warnings = logs(from, to, "WARN", taskId, null);
                assertThat(warnings.path("matched").asLong()).isGreaterThanOrEqualTo(lines.size());
                assertThat(services(logs(from, to, null, taskId, null))).containsAll(STAGES);

                // Bad queries get a stable code, not a stack trace.
                HttpResponse<String> bad = call("GET", gateway("/api/monitor/logs?level=LOUD"),
                        AdminSession.accessToken(), null);
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(read(bad.body()).path("code").asText()).isEqualTo("DRS-4000");
            } finally {
                SuiteProcesses.start("postgres");
                SuiteProcesses.start("data-process");
                SuiteProcesses.start("milvus-sync");
                client.deleteTask(taskId, true);
                source.dropCaptureState(taskId);
            }
        }
    }

    /**
     * With {@code service} down, inserts two rows from {@code firstId}, waits for their records in
     * {@code topic} (the service's input), deletes every record of it, starts the service again
     * and waits for the task to fail (DRS-4092, logged at ERROR by the service).
     */
    private static void loseUnreadRecords(DataPathClient client, Admin kafka, PostgresE2eTable source, String taskId,
            String service, String topic, int firstId) throws Exception {
        SuiteProcesses.stop(service);
        long before = TopicOffsets.total(kafka, topic);
        insert(source, "(" + firstId + ", 'row', 'body'), (" + (firstId + 1) + ", 'row', 'body')");
        await("records of rows " + firstId + " and " + (firstId + 1) + " in " + topic).atMost(Duration.ofMinutes(1))
                .until(() -> TopicOffsets.total(kafka, topic) >= before + 2);
        TopicOffsets.deleteEverything(kafka, topic);
        SuiteProcesses.start(service);
        awaitState(client, taskId, "FAILED");
    }

    /** On a connection of its own: the source was restarted under the test's earlier ones. */
    private static void insert(PostgresE2eTable source, String rows) throws Exception {
        try (Connection db = source.connect(); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO log_docs VALUES " + rows);
        }
    }

    private static JsonNode logs(Instant from, Instant to, String level, String task, String text) {
        StringBuilder query = new StringBuilder("/api/monitor/logs?limit=1000&from=").append(from).append("&to=").append(to)
                .append("&task=").append(task);
        if (level != null) {
            query.append("&level=").append(level);
        }
        if (text != null) {
            query.append("&text=").append(URLEncoder.encode(text, StandardCharsets.UTF_8));
        }
        HttpResponse<String> answer = call("GET", gateway(query.toString()), AdminSession.accessToken(), null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return read(answer.body());
    }

    private static Set<String> services(JsonNode answer) {
        Set<String> out = new TreeSet<>();
        answer.path("lines").forEach(l -> out.add(l.path("service").asText()));
        return out;
    }

    private static List<String> field(JsonNode lines, String service, String field) {
        List<String> out = new ArrayList<>();
        lines.forEach(l -> {
            if (service.equals(l.path("service").asText())) {
                out.add(l.path(field).asText());
            }
        });
        return out;
    }

    private static void awaitState(DataPathClient client, String taskId, String state) {
        await(taskId + " " + state).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> state.equals(client.taskStatus(taskId).path("state").asText()));
    }

}
