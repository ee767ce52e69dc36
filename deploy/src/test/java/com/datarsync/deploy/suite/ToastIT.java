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
 * PostgreSQL keeps large values out of line (TOAST), and its log leaves an unchanged one out of
 * an update unless the table's REPLICA IDENTITY is FULL. A task is refused until it is, saying
 * which statement to run; then an update of another column leaves the large text and its vector
 * in Milvus exactly as they were. Should the identity be changed back while the task runs, such
 * an update goes to the dead letters with the reason instead of writing a placeholder.
 */
class ToastIT extends RunningSuite {

    @Test
    void anUpdateOfAnotherColumnNeverOverwritesAnUnchangedLargeValue() throws Exception {
        PostgresE2eTable source = new PostgresE2eTable();
        String taskId = "toast_" + runId();
        String big = words(taskId, 12 * 1024);
        source.create("toast_docs", "CREATE TABLE toast_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, qty INT)",
                // Stored out of line without compression, so the 12 KB are TOAST whatever the text.
                "ALTER TABLE toast_docs ALTER COLUMN body SET STORAGE EXTERNAL");
        String definition = source.definitionFor(taskId, "toast_docs", List.of("title", "content", "qty"))
                .replace("\"maxLength\": 8192", "\"maxLength\": 65535");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement sql = db.createStatement()) {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO toast_docs VALUES (?, ?, ?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, "large " + taskId);
                ps.setString(3, big);
                ps.setInt(4, 1);
                ps.executeUpdate();
            }
            sql.execute("INSERT INTO toast_docs VALUES (2, 'small " + taskId + "', 'a short body', 2)");
            try (ResultSet rs = sql.executeQuery("SELECT pg_column_size(body) FROM toast_docs WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("stored size of the large body").isGreaterThanOrEqualTo(12 * 1024);
            }
            try {
                client.createTask(definition);
                HttpResponse<String> refused = client.action(taskId, "start");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
                JsonNode answer = JSON.readTree(refused.body());
                assertThat(answer.path("code").asText()).isEqualTo("DRS-4000");
                assertThat(answer.toString()).contains("REPLICA IDENTITY DEFAULT")
                        .contains("ALTER TABLE public.toast_docs REPLICA IDENTITY FULL").contains("body");

                sql.execute("ALTER TABLE toast_docs REPLICA IDENTITY FULL");
                HttpResponse<String> started = client.action(taskId, "start");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 2);
                Map<String, Object> before = client.entities(taskId, List.of("content", "qty")).get("1");
                assertThat(before.get("content")).isEqualTo(big);
                Map<String, Object> small = client.entities(taskId, List.of("content")).get("2");
                assertThat(RawOnnxRuntime.cosine(DataPathClient.reference("small " + taskId + "\na short body"),
                        (List<?>) small.get("embedding"))).isGreaterThanOrEqualTo(0.999);

                sql.execute("UPDATE toast_docs SET qty = 100 WHERE id = 1");
                client.awaitNumber(taskId, "1", "qty", 100);
                Map<String, Object> after = client.entities(taskId, List.of("content", "qty")).get("1");
                assertThat(after.get("content")).as("the large text after an update of qty").isEqualTo(big);
                assertThat(after.get("embedding")).as("its vector after an update of qty").isEqualTo(before.get("embedding"));

                // The identity changed back behind the task's back: the placeholder never reaches Milvus.
                sql.execute("ALTER TABLE toast_docs REPLICA IDENTITY DEFAULT");
                sql.execute("UPDATE toast_docs SET qty = 200 WHERE id = 1");
                sql.execute("UPDATE toast_docs SET qty = 7 WHERE id = 2");
                client.awaitNumber(taskId, "2", "qty", 7);
                List<JsonNode> letters = TaskTopics.deadLetters(taskId, 1);
                assertThat(letters).singleElement().satisfies(letter -> {
                    assertThat(letter.get("stage").asText()).isEqualTo("log-listener");
                    assertThat(letter.get("key").asText()).isEqualTo("public.toast_docs/1");
                    assertThat(letter.get("reason").asText()).contains("column 'body'")
                            .contains("REPLICA IDENTITY is not FULL");
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
