package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/tasks/{id}/search}: the query is embedded with the task's own model and the
 * nearest rows come back with their fields and scores. Expected from outside the product: every
 * chunk's text is read from Milvus and embedded by the reference ONNX Runtime model, each row
 * scores its nearest chunk's cosine with the query, and the answer must rank the rows so, each
 * score within 1e-3. Ungrouped, the hits are chunks, so a row can come more than once. Bad
 * searches are refused naming the field.
 */
class SemanticSearchIT extends RunningSuite {

    private static final String[] TEXTS = {
        "Cats sleep most of the day and hunt small birds at night.",
        "Milvus stores vectors and finds the nearest ones quickly. " + "Change data capture keeps the vector store in "
                + "step with the database. Every insert, update and delete in the binlog reaches Milvus in order. "
                + "Offsets are kept so a restart resumes where it stopped.",
        "Boil the pasta in salted water for nine minutes, then add the tomato sauce.",
        "The football match ended in a draw after extra time and penalties.",
    };

    @Test
    void theQueryIsEmbeddedWithTheTasksModelAndRowsComeNearestFirst() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "search_" + runId();
        source.create("search_docs", "CREATE TABLE search_docs (id INT PRIMARY KEY, title VARCHAR(80), body TEXT) "
                + "CHARACTER SET utf8mb4");
        try (Connection c = source.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO search_docs VALUES (?, ?, ?)")) {
            for (int i = 0; i < TEXTS.length; i++) {
                ps.setInt(1, i + 1);
                ps.setString(2, "title " + (i + 1));
                ps.setString(3, TEXTS[i] + " " + taskId);
                ps.executeUpdate();
            }
        }
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.startTask(DeadLetterReplayIT.definition(source, taskId, "search_docs", 16));
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                        .until(() -> DeadLetterReplayIT.rows(client, taskId).size() == TEXTS.length);
                Map<String, List<Map<String, Object>>> rows = DeadLetterReplayIT.rows(client, taskId);
                assertThat(rows.get("2")).as("row 2 is several chunks").hasSizeGreaterThan(1);

                String query = "How does the vector database stay in step with the binlog?";
                float[] q = DataPathClient.reference(query);
                Map<String, Double> nearest = new HashMap<>();
                int chunks = 0;
                for (Map.Entry<String, List<Map<String, Object>>> row : rows.entrySet()) {
                    for (Map<String, Object> chunk : row.getValue()) {
                        chunks++;
                        double cosine = RawOnnxRuntime.cosine(q, DataPathClient.reference((String) chunk.get("chunk")));
                        nearest.merge(row.getKey(), cosine, Math::max);
                    }
                }
                List<String> expected = new ArrayList<>(nearest.keySet());
                expected.sort(Comparator.comparing(nearest::get).reversed());

                JsonNode grouped = search(taskId, "{\"query\": \"" + query + "\", \"topK\": 4}", 200);
                assertThat(grouped.path("groupedByRow").asBoolean()).isTrue();
                assertThat(grouped.path("model").asText()).isEqualTo("onnx-local:all-minilm-l6-v2");
                List<String> ranked = new ArrayList<>();
                grouped.path("hits").forEach(hit -> {
                    ranked.add(hit.path("rowKey").asText());
                    assertThat(hit.path("score").asDouble()).as("row " + hit.path("rowKey").asText())
                            .isCloseTo(nearest.get(hit.path("rowKey").asText()), within(1e-3));
                    assertThat(hit.path("fields").path("title").asText()).isEqualTo("title " + hit.path("rowKey").asText());
                    assertThat(rows.get(hit.path("rowKey").asText())).extracting(e -> e.get("chunk"))
                            .contains(hit.path("chunk").asText());
                });
                assertThat(ranked).as("rows by their nearest chunk").containsExactlyElementsOf(expected);
                assertThat(ranked.get(0)).isEqualTo("2");

                JsonNode chunkHits = search(taskId, "{\"query\": \"" + query + "\", \"topK\": " + chunks
                        + ", \"groupByRow\": false}", 200);
                List<String> chunkRows = new ArrayList<>();
                chunkHits.path("hits").forEach(hit -> chunkRows.add(hit.path("rowKey").asText()));
                assertThat(chunkRows).as("every chunk once").hasSize(chunks);
                assertThat(chunkRows.stream().filter("2"::equals).count()).isEqualTo(rows.get("2").size());

                assertThat(search(taskId, "{\"query\": \"  \"}", 400).path("details").path("fields").has("query")).isTrue();
                assertThat(search(taskId, "{\"query\": \"x\", \"topK\": 0}", 400).path("details").path("fields")
                        .has("topK")).isTrue();
                assertThat(search(taskId, "{\"query\": \"x\", \"vectorField\": \"nope\"}", 400).path("details")
                        .path("fields").path("vectorField").asText()).contains("body_vector");
                assertThat(SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/no_such_" + runId() + "/search"),
                        "{\"query\": \"x\"}").statusCode()).isEqualTo(404);
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    private static JsonNode search(String taskId, String body, int status) throws Exception {
        HttpResponse<String> answer = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + taskId + "/search"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return JSON.readTree(answer.body());
    }
}
