package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A time window on a DATETIME column (tables[].filter.window, from 2026-01-01 until 2026-07-01):
 * through the snapshot, inserts on both sides and on both bounds, updates that move rows in and
 * out of the window or set the column to NULL, and deletes, Milvus holds exactly the source rows
 * inside it (asked of MariaDB with SQL), each with its title and the vector of its text.
 */
class TimeWindowIT extends RunningSuite {

    private static final String WINDOW = "published_at >= '2026-01-01' AND published_at < '2026-07-01'";

    @Test
    void keepsExactlyTheRowsInsideTheWindowThroughEveryKindOfChange() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "window_" + runId();
        String table = "window_rows";
        source.create(table, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, title VARCHAR(200), body TEXT, "
                + "published_at DATETIME NULL) CHARACTER SET utf8mb4");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect();
                Statement sql = db.createStatement()) {
            for (int id = 1; id <= 30; id++) {
                String at = switch (id % 3) {
                    case 0 -> "2025-12-15 10:00:00";
                    case 1 -> "2026-03-01 10:00:00";
                    default -> "2026-08-01 10:00:00";
                };
                sql.execute("INSERT INTO " + table + " VALUES (" + id + ", 'title " + id + "', 'body " + id + "', '" + at
                        + "')");
            }
            String definition = source.definitionFor(taskId, table, List.of("title")).replace(
                    "\"renames\": {\"body\": \"content\"}}",
                    "\"renames\": {\"body\": \"content\"}, \"filter\": {\"window\": {\"column\": \"published_at\", "
                            + "\"from\": \"2026-01-01\", \"until\": \"2026-07-01T00:00:00\"}}}");
            assertThat(definition).contains("\"window\"");
            try {
                client.startTask(definition);
                awaitWindow(client, sql, table, taskId, "after the snapshot");

                sql.execute("INSERT INTO " + table + " VALUES (31, 'title 31', 'body 31', '2026-01-01 00:00:00'), "
                        + "(32, 'title 32', 'body 32', '2026-07-01 00:00:00'), "
                        + "(33, 'title 33', 'body 33', '2026-06-30 23:59:59'), "
                        + "(34, 'title 34', 'body 34', NULL), (35, 'title 35', 'body 35', '2024-05-05 05:05:05')");
                // In to out, out to in, in and staying in, in to NULL.
                sql.execute("UPDATE " + table + " SET published_at = '2026-09-09 09:09:09' WHERE id IN (1, 4, 7)");
                sql.execute("UPDATE " + table + " SET published_at = '2026-02-02 02:02:02', title = CONCAT(title, ' moved in') "
                        + "WHERE id IN (3, 5, 6)");
                sql.execute("UPDATE " + table + " SET title = CONCAT(title, ' edited') WHERE id IN (10, 13)");
                sql.execute("UPDATE " + table + " SET published_at = NULL WHERE id = 16");
                sql.execute("DELETE FROM " + table + " WHERE id IN (19, 8, 9)");
                // A row leaving and coming back within one stream of changes.
                sql.execute("UPDATE " + table + " SET published_at = '2027-01-01 00:00:00' WHERE id = 22");
                sql.execute("UPDATE " + table + " SET published_at = '2026-04-04 04:04:04', title = 'title 22 back' WHERE id = 22");
                awaitWindow(client, sql, table, taskId, "after inserts, moves in and out, NULL and deletes");
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    /** Waits until Milvus holds exactly the rows inside the window, then checks every vector. */
    private static void awaitWindow(DataPathClient client, Statement sql, String table, String collection, String when) {
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> texts = new TreeMap<>();
        try (ResultSet rows = sql.executeQuery("SELECT id, title, body FROM " + table + " WHERE " + WINDOW)) {
            while (rows.next()) {
                expected.put(rows.getString(1), rows.getString(2));
                texts.put(rows.getString(1), rows.getString(2) + "\n" + rows.getString(3));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(expected).as("the source has rows on both sides").isNotEmpty();
        await(when).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(titles(client, collection)).isEqualTo(expected));
        for (var entity : client.milvus.query(QueryReq.builder().collectionName(collection).filter("")
                .outputFields(List.of("pk", "embedding")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults()) {
            String pk = (String) entity.getEntity().get("pk");
            @SuppressWarnings("unchecked")
            List<Float> vector = (List<Float>) entity.getEntity().get("embedding");
            assertThat(RawOnnxRuntime.cosine(DataPathClient.reference(texts.get(pk)), vector)).as("vector of %s", pk)
                    .isGreaterThan(0.999);
        }
        System.out.printf("TIME WINDOW %s: Milvus holds exactly the %d rows inside the window%n", when, expected.size());
    }

    private static Map<String, String> titles(DataPathClient client, String collection) {
        Map<String, String> out = new TreeMap<>();
        client.milvus.query(QueryReq.builder().collectionName(collection).filter("").outputFields(List.of("pk", "title"))
                .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults()
                .forEach(r -> out.put((String) r.getEntity().get("pk"), (String) r.getEntity().get("title")));
        return out;
    }
}
