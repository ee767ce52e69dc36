package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * TRUNCATE TABLE on a captured table removes every entity of that table from Milvus, and only
 * of that table in a task that captures two, in order with the changes just before and after it
 * (which are made without a pause, so they meet the truncate in the same batches). Milvus is
 * then compared with both source tables: keys, fields and each vector against the model.
 */
class TruncateIT extends RunningSuite {

    private static final Map<String, String> FIELDS = Map.of("title", "VARCHAR", "content", "VARCHAR");

    @Test
    void truncateOnMariaDbRemovesOnlyThatTablesEntitiesInOrder() throws Exception {
        truncateRemovesOnlyThatTablesEntitiesInOrder(new MariaDbE2eTable(), "");
    }

    @Test
    void truncateOnPostgresRemovesOnlyThatTablesEntitiesInOrder() throws Exception {
        // PostgreSQL refuses to capture text columns without REPLICA IDENTITY FULL (see ToastIT).
        truncateRemovesOnlyThatTablesEntitiesInOrder(new PostgresE2eTable(), "REPLICA IDENTITY FULL");
    }

    private void truncateRemovesOnlyThatTablesEntitiesInOrder(E2eTable source, String identity) throws Exception {
        String taskId = "trunc_" + source.kind() + "_" + runId();
        for (String table : List.of("trunc_a", "trunc_b")) {
            source.create(table, "CREATE TABLE " + table + " (id INT PRIMARY KEY, title VARCHAR(200), body TEXT)",
                    identity.isEmpty() ? "SELECT 1" : "ALTER TABLE " + table + " " + identity);
        }
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement sql = db.createStatement()) {
            for (int id = 1; id <= 30; id++) {
                sql.execute("INSERT INTO trunc_a VALUES (" + id + ", 'a" + id + " " + taskId + "', 'body of a" + id + "')");
            }
            for (int id = 1; id <= 5; id++) {
                sql.execute("INSERT INTO trunc_b VALUES (" + id + ", 'b" + id + " " + taskId + "', 'body of b" + id + "')");
            }
            try {
                client.startTask(source.titleBodyDefinition(taskId, List.of("trunc_a", "trunc_b")));
                client.awaitMirror(() -> expected(source), FIELDS, taskId, "after the snapshot of two tables");
                assertThat(client.count(taskId)).isEqualTo(35);

                // Changes right before and after the truncate, with no pause between them.
                sql.execute("UPDATE trunc_a SET title = 'a3 changed " + taskId + "' WHERE id = 3");
                sql.execute("INSERT INTO trunc_a VALUES (31, 'a31 " + taskId + "', 'just before the truncate')");
                sql.execute("UPDATE trunc_b SET body = 'b1 changed before' WHERE id = 1");
                sql.execute("TRUNCATE TABLE trunc_a");
                sql.execute("INSERT INTO trunc_a VALUES (3, 'a3 again " + taskId + "', 'after the truncate')");
                sql.execute("INSERT INTO trunc_a VALUES (101, 'a101 " + taskId + "', 'after the truncate')");
                sql.execute("UPDATE trunc_b SET body = 'b2 changed after' WHERE id = 2");
                client.awaitMirror(() -> expected(source), FIELDS, taskId, "after TRUNCATE of trunc_a");
                assertThat(client.count(taskId)).as("2 rows of trunc_a and 5 of trunc_b").isEqualTo(7);

                // A second truncate, then the table filled again: the ghosts of the first never return.
                sql.execute("TRUNCATE TABLE trunc_a");
                sql.execute("INSERT INTO trunc_a VALUES (7, 'a7 " + taskId + "', 'after the second truncate')");
                client.awaitMirror(() -> expected(source), FIELDS, taskId, "after the second TRUNCATE");
            } finally {
                client.deleteTask(taskId, true);
                source.dropCaptureState(taskId);
            }
        }
    }

    /** Both tables' rows, keyed as a two-table task keys them: {@code schema.table/id}. */
    private static Map<String, Map<String, Object>> expected(E2eTable source) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            for (String table : List.of("trunc_a", "trunc_b")) {
                try (ResultSet rs = s.executeQuery("SELECT id, title, body FROM " + table)) {
                    while (rs.next()) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("title", rs.getString("title"));
                        e.put("content", rs.getString("body"));
                        out.put(source.schema() + "." + table + "/" + rs.getInt("id"), e);
                    }
                }
            }
        }
        return out;
    }
}
