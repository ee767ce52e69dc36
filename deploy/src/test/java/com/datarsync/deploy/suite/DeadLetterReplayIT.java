package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Dead letters are stored per task (Redis) and served by the task API: listed, read, replayed
 * through the stage that failed them once the cause is fixed, and discarded. A letter whose row
 * changed after it is superseded, not replayed, so a replay never brings back an older state.
 * The rows that failed here need more chunks than the task allowed (maxChunks 2); the operator
 * fix is a larger maxChunks.
 */
class DeadLetterReplayIT extends RunningSuite {

    @Test
    void aFixedDeadLetterIsReplayedIntoMilvusAndAStaleOneIsSuperseded() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "replay_" + runId();
        String longBody = paragraph(taskId, 450);
        source.create("replay_docs", "CREATE TABLE replay_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT) "
                + "CHARACTER SET utf8mb4");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement sql = db.createStatement()) {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO replay_docs VALUES (?, ?, ?)")) {
                for (int id = 1; id <= 3; id++) {
                    ps.setInt(1, id);
                    ps.setString(2, "title " + id);
                    ps.setString(3, id == 1 ? "a short body " + taskId : longBody);
                    ps.executeUpdate();
                }
            }
            try {
                client.startTask(definition(source, taskId, "replay_docs", 2));
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() ->
                        letters(taskId, "").path("total").asLong() == 2 && rows(client, taskId).containsKey("1"));

                JsonNode list = letters(taskId, "?stage=data-process");
                assertThat(list.path("total").asLong()).isEqualTo(2);
                List<String> ids = new ArrayList<>();
                list.path("items").forEach(item -> {
                    assertThat(item.path("code").asText()).isEqualTo("DRS-4220");
                    assertThat(item.path("reason").asText()).contains("maxChunks");
                    assertThat(item.path("replayable").asBoolean()).isTrue();
                    assertThat(item.has("payload")).as("the list leaves payloads out").isFalse();
                    ids.add(item.path("id").asText());
                });
                assertThat(letters(taskId, "?stage=milvus-sync").path("total").asLong()).isZero();
                JsonNode one = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId
                        + "/dead-letters/" + ids.get(0))).body());
                assertThat(one.path("payload").asText()).contains(longBody.substring(0, 50));
                assertThat(client.taskStatus(taskId).path("deadLetters").path("total").asLong()).isEqualTo(2);

                // Row 3 changes after its failure: its letter is stale from now on.
                sql.execute("UPDATE replay_docs SET body = 'now short " + taskId + "' WHERE id = 3");
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> rows(client, taskId).containsKey("3"));

                // The fix: room for more chunks.
                HttpResponse<String> updated = SuiteProcesses.put(SuiteProcesses.gateway("/api/tasks/" + taskId),
                        "{\"definition\": " + definition(source, taskId, "replay_docs", 8) + "}");
                assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
                    JsonNode status = client.taskStatus(taskId);
                    return "RUNNING".equals(status.path("state").asText()) && allGeneration(status, 2);
                });

                HttpResponse<String> replayed = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + taskId
                        + "/dead-letters/replay"), "");
                assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
                JsonNode outcome = JSON.readTree(replayed.body());
                assertThat(outcome.path("replayed")).hasSize(1);
                assertThat(outcome.path("superseded")).hasSize(1);

                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> rows(client, taskId).containsKey("2"));
                Map<String, List<Map<String, Object>>> rows = rows(client, taskId);
                List<Map<String, Object>> chunks = rows.get("2");
                assertThat(chunks).hasSizeBetween(3, 8);
                StringBuilder joined = new StringBuilder();
                for (Map<String, Object> chunk : chunks) {
                    String text = (String) chunk.get("chunk");
                    assertThat(longBody).contains(text);
                    joined.append(text);
                    assertThat(RawOnnxRuntime.cosine(DataPathClient.reference(text), (List<?>) chunk.get("body_vector")))
                            .as("chunk vector of row 2").isGreaterThanOrEqualTo(0.999);
                }
                assertThat(joined.length()).isGreaterThanOrEqualTo(longBody.length());
                assertThat(rows.get("3")).as("row 3 keeps its newer, short body").singleElement()
                        .satisfies(e -> assertThat(e.get("chunk")).isEqualTo("now short " + taskId));
                assertThat(letters(taskId, "").path("total").asLong()).isZero();

                // A letter nobody wants back is discarded.
                sql.execute("INSERT INTO replay_docs VALUES (4, 'title 4', '" + paragraph(taskId, 2_000) + "')");
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                        letters(taskId, "").path("total").asLong() == 1);
                String fourth = letters(taskId, "").path("items").get(0).path("id").asText();
                HttpResponse<String> discarded = SuiteProcesses.delete(SuiteProcesses.gateway("/api/tasks/" + taskId
                        + "/dead-letters/" + fourth));
                assertThat(discarded.statusCode()).as(discarded.body()).isEqualTo(200);
                assertThat(letters(taskId, "").path("total").asLong()).isZero();
                assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId + "/dead-letters/" + fourth))
                        .statusCode()).isEqualTo(404);
                assertThat(rows(client, taskId)).doesNotContainKey("4");
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    /** Every one of the three stages runs the task at this generation. */
    static boolean allGeneration(JsonNode status, long generation) {
        for (JsonNode stage : status.path("stages")) {
            if (stage.path("generation").asLong() != generation || !"RUNNING".equals(stage.path("state").asText())) {
                return false;
            }
        }
        return status.path("stages").size() == 3;
    }

    private static JsonNode letters(String taskId, String query) throws Exception {
        HttpResponse<String> answer = SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId + "/dead-letters"
                + query));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** Milvus' entities grouped by row key, chunks in order. */
    static Map<String, List<Map<String, Object>>> rows(DataPathClient client, String collection) {
        Map<String, List<Map<String, Object>>> out = new TreeMap<>();
        client.milvus.query(QueryReq.builder().collectionName(collection).filter("pk != \"\"")
                        .outputFields(List.of("pk", "row_key", "chunk", "title", "body_vector")).consistencyLevel(ConsistencyLevel.STRONG)
                        .build()).getQueryResults().stream().map(r -> r.getEntity())
                .sorted(java.util.Comparator.comparing(e -> Integer.parseInt(((String) e.get("pk")).split("#")[1])))
                .forEach(e -> out.computeIfAbsent((String) e.get("row_key"), k -> new ArrayList<>()).add(e));
        return out;
    }

    /** A chunked task on {@code table (id, title, body)} that allows {@code maxChunks} chunks of 100 characters a row. */
    static String definition(E2eTable source, String taskId, String table, int maxChunks) {
        return """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s,
                 "tables": [{"table": "%s"}],
                 "target": {"collection": "%s", "primaryKeyField": "pk", "rowKeyField": "row_key",
                            "chunkTextField": "chunk",
                            "scalarFields": [{"name": "title", "type": "VARCHAR", "maxLength": 512}],
                            "vectors": [{"name": "body_vector", "dimension": 384, "metric": "COSINE",
                               "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2", "template": "{body}",
                                             "chunking": {"by": "CHARACTERS", "size": 100, "maxChunks": %d}}}]}}
                """.formatted(taskId, source.sourceJson(), table, taskId, maxChunks);
    }

    /** About {@code size} characters of English words with the run id, so no vector comes from the cache. */
    static String paragraph(String taskId, int size) {
        String[] words = {"replay", "letter", "fixed", "chunk", "vector", "milvus", "source", "kafka"};
        StringBuilder out = new StringBuilder(taskId);
        for (int i = 0; out.length() < size; i++) {
            out.append(' ').append(words[i % words.length]).append(i);
        }
        return out.toString();
    }
}
