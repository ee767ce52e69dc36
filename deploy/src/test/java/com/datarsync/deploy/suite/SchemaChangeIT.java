package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Schema changes in the middle of a stream (MariaDB): an added column is carried into the field
 * named after it; a type change whose values no longer fit the field sends those rows to the dead
 * letters with the reason, while values that still fit go on; a dropped column that the template
 * uses is reported (task status warning, run-log line) and its rows go to the dead letters,
 * never embedded with the column as empty text. Milvus is compared with the source throughout.
 */
class SchemaChangeIT extends RunningSuite {

    private static final Map<String, String> FIELDS = fields();

    private static Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("title", "VARCHAR");
        f.put("content", "VARCHAR");
        f.put("qty", "INT32");
        f.put("note", "VARCHAR");
        return f;
    }

    @Test
    void addedColumnsAreCarriedAndDroppedOrChangedOnesAreReportedNeverRenderedEmpty() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "schema_" + runId();
        source.create("schema_docs", "CREATE TABLE schema_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, qty INT) "
                + "CHARACTER SET utf8mb4", "INSERT INTO schema_docs VALUES (1, 'one " + taskId + "', 'first body', 1), "
                + "(2, 'two " + taskId + "', 'second body', 2), (3, 'three " + taskId + "', 'third body', 3)");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement sql = db.createStatement()) {
            try {
                client.startTask(source.titleBodyDefinition(taskId, List.of("schema_docs"),
                        "{\"name\": \"qty\", \"type\": \"INT32\"}", "{\"name\": \"note\", \"type\": \"VARCHAR\", \"maxLength\": 512}"));
                client.awaitMirror(() -> expected(source, true), FIELDS, taskId, "after the snapshot");

                // ADD COLUMN: carried into the field of its name from the next change on.
                sql.execute("ALTER TABLE schema_docs ADD COLUMN note VARCHAR(100)");
                sql.execute("UPDATE schema_docs SET note = 'added later' WHERE id = 1");
                sql.execute("INSERT INTO schema_docs VALUES (4, 'four " + taskId + "', 'fourth body', 4, 'new row note')");
                client.awaitMirror(() -> expected(source, true), FIELDS, taskId, "after ADD COLUMN");

                // MODIFY: qty becomes text; a value that is no number no longer fits INT32.
                sql.execute("ALTER TABLE schema_docs MODIFY qty VARCHAR(20)");
                sql.execute("UPDATE schema_docs SET qty = '42' WHERE id = 3");
                sql.execute("UPDATE schema_docs SET qty = 'many' WHERE id = 2");
                client.awaitNumber(taskId, "3", "qty", 42);
                List<JsonNode> letters = TaskTopics.deadLetters(taskId, 1);
                assertThat(letters).singleElement().satisfies(l -> {
                    assertThat(l.path("stage").asText()).isEqualTo("data-process");
                    assertThat(l.path("key").asText()).endsWith("/2");
                    assertThat(l.path("reason").asText()).contains("qty").contains("INT32");
                });
                sql.execute("UPDATE schema_docs SET qty = '2' WHERE id = 2");
                client.awaitMirror(() -> expected(source, true), FIELDS, taskId, "after MODIFY");

                // DROP COLUMN of a template column: reported, and its rows wait in the dead letters.
                Map<String, Object> oneBefore = client.entities(taskId, List.of("title", "content")).get("1");
                sql.execute("ALTER TABLE schema_docs DROP COLUMN body");
                sql.execute("UPDATE schema_docs SET title = 'one after the drop' WHERE id = 1");
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                        client.taskStatus(taskId).path("warnings").toString().contains("column 'body'"));
                assertThat(client.taskStatus(taskId).path("warnings").get(0).asText())
                        .startsWith("data-process: column 'body' of ").contains("dropped or renamed");
                List<JsonNode> after = TaskTopics.deadLetters(taskId, 2);
                assertThat(after).hasSize(2).last().satisfies(l -> {
                    assertThat(l.path("key").asText()).endsWith("/1");
                    assertThat(l.path("reason").asText()).contains("no column 'body'");
                });
                Map<String, Object> oneAfter = client.entities(taskId, List.of("title", "content")).get("1");
                assertThat(oneAfter.get("title")).as("never written without its body").isEqualTo(oneBefore.get("title"));
                assertThat(oneAfter.get("embedding")).isEqualTo(oneBefore.get("embedding"));
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> runLog(client, taskId)
                        .contains("WARN data-process: column 'body' of "));
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    private static String runLog(DataPathClient client, String taskId) throws Exception {
        JsonNode runs = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId + "/runs")).body());
        StringBuilder out = new StringBuilder();
        for (JsonNode line : JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId + "/runs/"
                + runs.get(0).path("id").asLong() + "/log")).body())) {
            out.append(line.path("level").asText()).append(' ').append(line.path("message").asText()).append('\n');
        }
        return out.toString();
    }

    /** The rows as Milvus must hold them; {@code note} NULL while the column does not exist. */
    private static Map<String, Map<String, Object>> expected(E2eTable source, boolean withBody) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        try (Connection c = source.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM schema_docs")) {
            java.util.Set<String> columns = new java.util.HashSet<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                columns.add(rs.getMetaData().getColumnName(i));
            }
            while (rs.next()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("title", rs.getString("title"));
                e.put("content", withBody ? rs.getString("body") : null);
                e.put("qty", rs.getObject("qty") == null ? null : Long.parseLong(rs.getString("qty")));
                e.put("note", columns.contains("note") ? rs.getString("note") : null);
                out.put(Integer.toString(rs.getInt("id")), e);
            }
        }
        return out;
    }
}
