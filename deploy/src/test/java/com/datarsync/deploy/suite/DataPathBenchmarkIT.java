package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Measures, on the running suite (MariaDB source): snapshot throughput, and for a steady stream
 * of single-row inserts the time from the source commit until the row is queryable in Milvus.
 * Beside them it measures the slowest stage on its own in the same run: the embedding model,
 * in-process, on the same texts. It prints figures and asserts only that every row arrived.
 */
class DataPathBenchmarkIT extends RunningSuite {

    /** 3,000 in {@code datarsync bench}, whose figures the docs quote; 1,000 in the test command. */
    private static final int SNAPSHOT_ROWS = SuiteSize.setting("DATARSYNC_PIPELINE_BENCH_ROWS", 1_000, 3_000);
    private static final int STREAM_ROWS = 200;
    private static final long STREAM_INTERVAL_MS = 100;

    @Test
    void printsSnapshotThroughputAndCommitToQueryableLatency() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "bench_" + runId();
        // Texts unique to this run: the vector cache (Redis) must not serve them from an earlier run.
        List<String> texts = texts(SNAPSHOT_ROWS + STREAM_ROWS, taskId);
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect()) {
            source.create("bench_docs",
                    "CREATE TABLE bench_docs (id BIGINT PRIMARY KEY, title VARCHAR(200), body TEXT) CHARACTER SET utf8mb4");
            insert(db, 0, SNAPSHOT_ROWS, texts);
            String definition = source.definitionFor(taskId, "bench_docs", List.of("title", "content"));
            try {
                long t0 = System.nanoTime();
                client.startTask(definition);
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> client.count(taskId) == SNAPSHOT_ROWS);
                double snapshotSeconds = (System.nanoTime() - t0) / 1e9;

                List<Long> latenciesMs = streamAndMeasure(client, db, taskId, texts);
                double ceiling = embeddingCeiling(texts.subList(0, 1_024));

                assertThat(latenciesMs).hasSize(STREAM_ROWS);
                System.out.printf("BENCHMARK snapshot: %d rows (title + ~40-word body) in %.1f s = %.0f rows/s, "
                        + "from task start to count(*) in Milvus%n", SNAPSHOT_ROWS, snapshotSeconds, SNAPSHOT_ROWS / snapshotSeconds);
                System.out.printf("BENCHMARK latency, source commit -> queryable in Milvus (Strong), %d single-row inserts "
                        + "at %d/s: p50 %d ms, p99 %d ms, max %d ms%n", STREAM_ROWS, 1000 / STREAM_INTERVAL_MS,
                        QueryableLatency.percentile(latenciesMs, 50), QueryableLatency.percentile(latenciesMs, 99), latenciesMs.get(latenciesMs.size() - 1));
                System.out.printf("BENCHMARK slowest stage alone: all-MiniLM-L6-v2 on raw ONNX Runtime, batches of 32, same texts: "
                        + "%.0f texts/s (the snapshot reached %.0f%% of it)%n", ceiling,
                        100 * (SNAPSHOT_ROWS / snapshotSeconds) / ceiling);
                System.out.println("BENCHMARK peak resident memory (VmHWM): " + SuiteProcesses.peakMemory(
                        List.of("log-listener", "data-process", "milvus-sync", "kafka", "milvus")));
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    private static List<Long> streamAndMeasure(DataPathClient client, Connection db, String taskId, List<String> texts)
            throws Exception {
        try (QueryableLatency latency = new QueryableLatency(client.milvus, taskId, 10)) {
            for (int i = 0; i < STREAM_ROWS; i++) {
                long id = SNAPSHOT_ROWS + i;
                insert(db, (int) id, 1, texts);
                latency.committed(List.of(Long.toString(id)), System.nanoTime());
                Thread.sleep(STREAM_INTERVAL_MS);
            }
            return latency.awaitAll(STREAM_ROWS, Duration.ofMinutes(2));
        }
    }

    private static void insert(Connection db, int from, int count, List<String> texts) throws Exception {
        db.setAutoCommit(false);
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO bench_docs (id, title, body) VALUES (?, ?, ?)")) {
            for (int i = from; i < from + count; i++) {
                ps.setLong(1, i);
                ps.setString(2, "Document " + i);
                ps.setString(3, texts.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        db.commit();
        db.setAutoCommit(true);
    }

    /** The model alone, raw ONNX Runtime in this JVM, on texts like the pipeline's: the ceiling of the slowest stage. */
    private static double embeddingCeiling(List<String> sample) throws Exception {
        try (RawOnnxRuntime raw = new RawOnnxRuntime()) {
            return raw.textsPerSecond(sample.stream().map(t -> "Document\n" + t).toList(), 32);
        }
    }

    private static List<String> texts(int n, String runId) {
        String[] words = ("change data capture streams rows from the binary log into kafka then a processor embeds "
                + "the text and a writer keeps the vector collection exactly in step with the source table").split(" ");
        Random random = new Random(7);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder(runId);
            for (int w = 0; w < 40; w++) {
                text.append(' ').append(words[random.nextInt(words.length)]);
            }
            out.add(text.toString());
        }
        return out;
    }


}
