package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Chunking, several vector fields and the vector cache, end to end on the running suite
 * (MariaDB, Kafka, Redis, Milvus): every assertion reads Milvus itself or data-process's
 * Prometheus metrics.
 */
class ChunkingIT extends RunningSuite {

    private static final int CHUNK = 200;

    @Test
    void longTextBecomesChunksThatFollowTheRowAndAreNeverEmbeddedTwice() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String run = runId();
        String taskId = "chunk_" + run;
        String again = "chunk_again_" + run;
        // The run id in every text keeps them out of the vector cache of earlier runs.
        String longBody = paragraph(run, 1_000);
        source.create("chunk_docs",
                "CREATE TABLE chunk_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, views INT) CHARACTER SET utf8mb4");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement s = db.createStatement()) {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO chunk_docs VALUES (?, ?, ?, ?)")) {
                insert(ps, 1, "长文 " + run, longBody, 10);
                insert(ps, 2, "短文 " + run, "A short body " + run, 20);
            }
            try {
                client.startTask(definition(source, taskId));
                // A row's entities are written by one upsert, so once its last chunk is there all are.
                Map<String, Map<String, Object>> first = awaitEntities(client, taskId, e -> endsRow(e, "1", longBody)
                        && chunksOf(e, "2").size() == 1);

                // Row 1: consecutive chunks of at most 200 characters that cover its body, each with
                // its own body vector and the row's one title vector (from the Chinese model).
                List<Map<String, Object>> row1 = chunksOf(first, "1");
                int chunks = row1.size();
                assertThat(chunks).isBetween(5, 8);
                assertThat(row1).extracting(e -> e.get("pk")).containsExactlyElementsOf(keys("1", chunks));
                assertThat(row1).allSatisfy(e -> {
                    assertThat(((String) e.get("chunk")).length()).isLessThanOrEqualTo(CHUNK);
                    assertThat(longBody).contains((String) e.get("chunk"));
                    assertThat((List<?>) e.get("title_vector")).hasSize(512).isEqualTo(row1.get(0).get("title_vector"));
                    assertThat((List<?>) e.get("body_vector")).hasSize(384);
                    // Each chunk's vector is all-MiniLM-L6-v2's vector of the chunk's text, by the independent reference.
                    assertThat(RawOnnxRuntime.cosine(DataPathClient.reference((String) e.get("chunk")),
                            (List<?>) e.get("body_vector"))).isGreaterThanOrEqualTo(0.999);
                });
                assertThat(longBody).startsWith(row1.get(0).get("chunk").toString());
                assertThat(row1.get(0).get("body_vector")).isNotEqualTo(row1.get(1).get("body_vector"));
                assertThat(chunksOf(first, "2")).extracting(e -> e.get("pk")).containsExactly("2#0");
                assertThat(client.count(taskId)).isEqualTo(chunks + 1);
                // 2 titles, the short body and the long body's distinct chunks (the paragraph repeats,
                // so two chunks may hold the same text): each embedded once.
                long distinctChunks = row1.stream().map(e -> e.get("chunk")).distinct().count();
                assertThat(DataPathClient.processMetric("datarsync_embedding_texts_total", taskId))
                        .isEqualTo(distinctChunks + 3.0);

                // Shortening the text removes the surplus chunks.
                String shorter = longBody.substring(0, 450);
                try (PreparedStatement ps = db.prepareStatement("UPDATE chunk_docs SET body = ? WHERE id = 1")) {
                    ps.setString(1, shorter);
                    ps.executeUpdate();
                }
                Map<String, Map<String, Object>> shortened = awaitEntities(client, taskId, e -> endsRow(e, "1", shorter));
                List<Map<String, Object>> row1Now = chunksOf(shortened, "1");
                assertThat(row1Now.size()).isBetween(2, chunks - 2);
                assertThat(row1Now).extracting(e -> e.get("pk")).containsExactlyElementsOf(keys("1", row1Now.size()));
                assertThat(client.count(taskId)).isEqualTo(row1Now.size() + 1);

                // A column outside every template: every chunk gets the new value, nothing is embedded.
                double embeddedBefore = DataPathClient.processMetric("datarsync_embedding_texts_total", taskId);
                s.execute("UPDATE chunk_docs SET views = views + 1000");
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> entities(client, taskId).values().stream()
                                .allMatch(e -> ((Number) e.get("views")).intValue() > 1000));
                assertThat(DataPathClient.processMetric("datarsync_embedding_texts_total", taskId)).isEqualTo(embeddedBefore);
                assertThat(DataPathClient.processMetric("datarsync_embedding_cache_hits_total", taskId))
                        .as("title and every chunk of both rows came from the cache").isGreaterThanOrEqualTo(6.0);

                // Deleting the row removes all its chunks, and only its.
                s.execute("DELETE FROM chunk_docs WHERE id = 1");
                Map<String, Map<String, Object>> afterDelete = awaitEntities(client, taskId, e -> e.size() == 1);
                assertThat(afterDelete).containsOnlyKeys("2#0");

                // A second task over the same rows embeds nothing: every vector comes from the cache.
                client.startTask(definition(source, again));
                awaitEntities(client, again, e -> e.size() == 1);
                assertThat(DataPathClient.processMetric("datarsync_embedding_texts_total", again)).isZero();
                assertThat(DataPathClient.processMetric("datarsync_embedding_cache_hits_total", again)).isEqualTo(2.0);
                assertThat(entities(client, again).get("2#0").get("body_vector"))
                        .isEqualTo(afterDelete.get("2#0").get("body_vector"));
            } finally {
                client.deleteTask(taskId, true);
                client.deleteTask(again, true);
            }
        }
    }

    /** Two vector fields from two models, the body chunked by characters. */
    private static String definition(E2eTable source, String taskId) {
        return """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s,
                 "tables": [{"table": "chunk_docs"}],
                 "target": {"collection": "%s", "primaryKeyField": "pk", "rowKeyField": "row_key",
                            "chunkTextField": "chunk",
                            "scalarFields": [{"name": "title", "type": "VARCHAR", "maxLength": 512},
                                             {"name": "views", "type": "INT32"}],
                            "vectors": [
                              {"name": "title_vector", "dimension": 512, "metric": "COSINE",
                               "embedding": {"provider": "onnx-local", "model": "bge-small-zh-v1.5", "template": "{title}"}},
                              {"name": "body_vector", "dimension": 384, "metric": "COSINE",
                               "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2", "template": "{body}",
                                             "chunking": {"by": "CHARACTERS", "size": %d, "overlap": 20}}}]}}
                """.formatted(taskId, source.sourceJson(), taskId, CHUNK);
    }

    /** The collection's entities, once they satisfy the condition. */
    private static Map<String, Map<String, Object>> awaitEntities(DataPathClient client, String collection,
            Predicate<Map<String, Map<String, Object>>> condition) {
        AtomicReference<Map<String, Map<String, Object>>> seen = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            seen.set(entities(client, collection));
            return condition.test(seen.get());
        });
        return seen.get();
    }

    /** True when the row's chunks are all of the text: its last chunk ends it and all are in it. */
    private static boolean endsRow(Map<String, Map<String, Object>> entities, String rowKey, String text) {
        List<Map<String, Object>> chunks = chunksOf(entities, rowKey);
        return !chunks.isEmpty() && text.endsWith((String) chunks.get(chunks.size() - 1).get("chunk"))
                && chunks.stream().allMatch(e -> text.contains((String) e.get("chunk")));
    }

    private static List<String> keys(String rowKey, int count) {
        return IntStream.range(0, count).mapToObj(i -> rowKey + "#" + i).toList();
    }

    private static Map<String, Map<String, Object>> entities(DataPathClient client, String collection) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        client.milvus.query(QueryReq.builder().collectionName(collection).filter("pk != \"\"")
                .outputFields(List.of("pk", "row_key", "chunk", "title", "views", "title_vector", "body_vector"))
                .consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().forEach(r -> out.put((String) r.getEntity().get("pk"), r.getEntity()));
        return out;
    }

    /** A row's chunk entities in chunk order, found by the row-key field. */
    private static List<Map<String, Object>> chunksOf(Map<String, Map<String, Object>> entities, String rowKey) {
        return entities.values().stream().filter(e -> rowKey.equals(e.get("row_key")))
                .sorted(Comparator.comparingInt(e -> Integer.parseInt(((String) e.get("pk")).split("#")[1]))).toList();
    }

    private static void insert(PreparedStatement ps, int id, String title, String body, int views) throws Exception {
        ps.setInt(1, id);
        ps.setString(2, title);
        ps.setString(3, body);
        ps.setInt(4, views);
        ps.executeUpdate();
    }

    /**
     * Sentences of English words up to about {@code length} characters, each naming the run, so
     * that every chunk is new to the vector cache.
     */
    private static String paragraph(String run, int length) {
        String[] sentences = {"Change data capture reads the binary log of the source database.",
                "Each row becomes an event in Kafka keyed by its primary key.",
                "The processor renders the template and embeds the text.",
                "Milvus holds one entity per chunk of a long document.",
                "Nothing here is embedded twice."};
        StringBuilder out = new StringBuilder();
        for (int i = 0; out.length() < length - 80; i++) {
            out.append(sentences[i % sentences.length]).append(" (").append(run).append(") ");
        }
        return out.toString().trim();
    }
}
