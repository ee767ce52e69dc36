package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL keeps large values out of line (TOAST), and with the default REPLICA IDENTITY its
 * log leaves an unchanged one out of an update of another column. The task starts anyway (its
 * status says what the identity costs); the listener re-reads such a value by key, so the update
 * leaves the 12 KB text and its vector in Milvus as they were: the text equal to the source's,
 * the vector equal to the independent reference model's vector of the row's text. A row deleted
 * before its unchanged value could be re-read dead-letters that change with the reason, and its
 * delete removes it; a DELETE removes a row.
 */
class ToastIT extends RunningSuite {

    @Test
    void withTheDefaultReplicaIdentityAnUpdateOfAnotherColumnKeepsTheLargeTextAndItsVector() throws Exception {
        PostgresE2eTable source = new PostgresE2eTable();
        String taskId = "toast_" + runId();
        String big = words(taskId, 12 * 1024);
        String bigToo = words(taskId + " streamed", 12 * 1024);
        source.create("toast_docs", "CREATE TABLE toast_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, qty INT)",
                // Stored out of line without compression, so the 12 KB are TOAST whatever the text.
                "ALTER TABLE toast_docs ALTER COLUMN body SET STORAGE EXTERNAL",
                "ALTER TABLE toast_docs REPLICA IDENTITY DEFAULT");
        String definition = source.definitionFor(taskId, "toast_docs", List.of("title", "content", "qty"))
                .replace("\"maxLength\": 8192", "\"maxLength\": 65535");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement sql = db.createStatement()) {
            insert(db, 1, "large " + taskId, big);
            sql.execute("INSERT INTO toast_docs VALUES (2, 'small " + taskId + "', 'a short body', 2)");
            try (ResultSet rs = sql.executeQuery("SELECT pg_column_size(body) FROM toast_docs WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("stored size of the large body").isGreaterThanOrEqualTo(12 * 1024);
            }
            try {
                client.createTask(definition);
                HttpResponse<String> started = client.action(taskId, "start");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
                await("the identity's cost in the status").atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                        DataPathClient.taskStatus(taskId).path("warnings").toString().contains(
                                "table public.toast_docs has REPLICA IDENTITY DEFAULT"));
                assertThat(DataPathClient.taskStatus(taskId).path("warnings").toString()).contains("[title, body]")
                        .contains("ALTER TABLE public.toast_docs REPLICA IDENTITY FULL");
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 2);
                Map<String, Object> before = client.entities(taskId, List.of("content", "qty")).get("1");
                assertThat(before.get("content")).isEqualTo(big);
                assertModelVector(before, "large " + taskId + "\n" + big);
                assertModelVector(client.entities(taskId, List.of("content")).get("2"),
                        "small " + taskId + "\na short body");

                sql.execute("UPDATE toast_docs SET qty = 100 WHERE id = 1");
                client.awaitNumber(taskId, "1", "qty", 100);
                Map<String, Object> after = client.entities(taskId, List.of("content", "qty")).get("1");
                assertThat(after.get("content")).as("the large text after an update of qty").isEqualTo(big);
                assertThat(after.get("embedding")).as("its vector after an update of qty").isEqualTo(before.get("embedding"));
                assertModelVector(after, "large " + taskId + "\n" + big);

                // Through the stream: a large row inserted, then another column of it updated twice.
                insert(db, 3, "streamed " + taskId, bigToo);
                sql.execute("UPDATE toast_docs SET qty = 30 WHERE id = 3");
                sql.execute("UPDATE toast_docs SET title = 'streamed, retitled " + taskId + "' WHERE id = 3");
                await("the retitled row").atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                        client.entities(taskId, List.of("title")).get("3").get("title").equals(
                                "streamed, retitled " + taskId));
                Map<String, Object> streamed = client.entities(taskId, List.of("content", "qty")).get("3");
                assertThat(streamed.get("content")).isEqualTo(bigToo);
                assertThat(((Number) streamed.get("qty")).longValue()).isEqualTo(30);
                assertModelVector(streamed, "streamed, retitled " + taskId + "\n" + bigToo);

                // Updated and deleted in one transaction: when the update is read the row is gone,
                // so its unchanged text cannot be re-read; that change is dead-lettered with the
                // reason, never written with a placeholder, and the delete removes the row.
                db.setAutoCommit(false);
                sql.execute("UPDATE toast_docs SET qty = 300 WHERE id = 3");
                sql.execute("DELETE FROM toast_docs WHERE id = 3");
                db.commit();
                db.setAutoCommit(true);
                sql.execute("DELETE FROM toast_docs WHERE id = 2");
                await("the deletes").atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                        client.count(taskId) == 1);
                assertThat(client.entities(taskId, List.of("content")).keySet()).containsExactly("1");
                List<JsonNode> letters = TaskTopics.deadLetters(taskId, 1);
                assertThat(letters).singleElement().satisfies(letter -> {
                    assertThat(letter.get("stage").asText()).isEqualTo("log-listener");
                    assertThat(letter.get("key").asText()).isEqualTo("public.toast_docs/3");
                    assertThat(letter.get("reason").asText()).contains("column 'body'")
                            .contains("re-reading it by key found no row");
                });
                Map<String, Object> kept = client.entities(taskId, List.of("content", "qty")).get("1");
                assertThat(kept.get("content")).isEqualTo(big);
                assertThat(kept.get("embedding")).isEqualTo(before.get("embedding"));
            } finally {
                client.deleteTask(taskId, true);
                source.dropCaptureState(taskId);
            }
        }
    }

    private static void insert(Connection db, int id, String title, String body) throws java.sql.SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO toast_docs VALUES (?, ?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, title);
            ps.setString(3, body);
            ps.setInt(4, id);
            ps.executeUpdate();
        }
    }

    /** The entity's vector is the reference model's vector of the text (cosine at least 0.999). */
    private static void assertModelVector(Map<String, Object> entity, String text) {
        assertThat(RawOnnxRuntime.cosine(DataPathClient.reference(text), (List<?>) entity.get("embedding")))
                .as("cosine with the reference model's vector of the row's text").isGreaterThanOrEqualTo(0.999);
    }

    /** About {@code size} characters of words, with the task id so no earlier run cached its vector. */
    private static String words(String taskId, int size) {
        String[] words = {"toast", "value", "postgres", "长文本", "vector", "milvus", "unchanged", "column"};
        Random random = new Random(size);
        StringBuilder out = new StringBuilder(taskId);
        while (out.length() < size) {
            out.append(' ').append(words[random.nextInt(words.length)]).append(random.nextInt(1000));
        }
        return out.toString();
    }
}
