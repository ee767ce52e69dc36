package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Local-model throughput on the running suite, for short (~50 tokens) and long (~300 tokens)
 * texts: rows/s from the source commit of every row until Milvus holds every row (the task
 * already running), the model's own rate inside data-process (from its metrics), and beside
 * them, in the same run, raw ONNX Runtime from text to normalised vector on the same model, batch
 * size and threads; the same for short texts with the int8
 * variant (all-minilm-l6-v2-q). It prints figures and asserts only that every row arrived.
 */
class LocalModelBenchmarkIT extends RunningSuite {

    /** Every process that may take the model's cores while the pipeline runs ("test" is this JVM, polling Milvus). */
    private static final List<String> CPU_USERS = List.of("data-process", "log-listener", "milvus-sync", "kafka",
            "milvus", "mariadb", "task-manager", "monitor", "gateway", "nacos", "test");

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * Short texts per run: enough that filling and draining the pipeline (the first batch's
     * wait, the last write and its Strong read) is a small part of the time (3,000 in
     * {@code datarsync bench}, whose figures the docs quote; 500 in the test command).
     */
    private static final int SHORT_ROWS = SuiteSize.setting("DATARSYNC_MODEL_BENCH_ROWS", 500, 3_000);
    /** Long texts per run (300 in {@code datarsync bench}, 150 in the test command). */
    private static final int LONG_ROWS = SuiteSize.setting("DATARSYNC_MODEL_BENCH_LONG_ROWS", 150, 300);

    /** data-process's default onnx-local batch size (OnnxLocalVectorizers.DEFAULT_BATCH_SIZE). */
    private static final int BATCH = 32;

    private static final String[] WORDS = ("change data capture streams rows from the binary log into kafka then a "
            + "processor embeds the text and a writer keeps the vector collection exactly in step with the source "
            + "table while operators watch metrics alerts and dashboards").split(" ");

    @Test
    void printsLocalModelThroughputBesideRawOnnxRuntime() throws Exception {
        String run = runId();
        List<String> shortTexts = texts(SHORT_ROWS, 44, run + "s");
        List<String> longTexts = texts(LONG_ROWS, 290, run + "l");
        try (RawOnnxRuntime raw = new RawOnnxRuntime()) {
            double shortTokens = raw.meanTokens(shortTexts);
            double longTokens = raw.meanTokens(longTexts);
            // Unique texts: the pipeline runs below must not find these vectors in the cache.
            double rawShort = raw.textsPerSecond(texts(512, 44, run + "rs"), BATCH);
            double rawLong = raw.textsPerSecond(texts(128, 290, run + "rl"), BATCH);

            Figures shortRun = pipeline("bench_s_" + run, shortTexts, "all-minilm-l6-v2");
            Figures longRun = pipeline("bench_l_" + run, longTexts, "all-minilm-l6-v2");

            report("all-MiniLM-L6-v2", "short", shortTokens, shortRun, rawShort);
            report("all-MiniLM-L6-v2", "long", longTokens, longRun, rawLong);
            try (RawOnnxRuntime rawInt8 = new RawOnnxRuntime("all-minilm-l6-v2-q")) {
                double rawShortInt8 = rawInt8.textsPerSecond(texts(512, 44, run + "qs"), BATCH);
                Figures int8Run = pipeline("bench_q_" + run, texts(SHORT_ROWS, 44, run + "q"), "all-minilm-l6-v2-q");
                report("all-MiniLM-L6-v2-q (int8)", "short", shortTokens, int8Run, rawShortInt8);
                System.out.printf("BENCHMARK int8 against fp32, short texts: pipeline %.2fx, raw ONNX Runtime %.2fx%n",
                        int8Run.rows() / int8Run.seconds() / (shortRun.rows() / shortRun.seconds()), rawShortInt8 / rawShort);
            }
            System.out.println("BENCHMARK peak resident memory (VmHWM): " + SuiteProcesses.peakMemory(
                    List.of("data-process", "log-listener", "milvus-sync")));
        }
    }

    /** @param modelTextsPerSecond texts embedded / time inside the model calls, from data-process's metrics */
    /** @param startSeconds task start until its snapshot of the empty table was complete */
    private record Figures(int rows, double seconds, double modelTextsPerSecond, double startSeconds) {
    }

    private static void report(String model, String label, double tokens, Figures f, double raw) {
        double rowsPerSecond = f.rows() / f.seconds();
        System.out.printf("BENCHMARK onnx-local %s, %s texts (mean %.0f tokens), batch %d, %d threads: "
                + "pipeline %.1f rows/s (%d rows, source commit to count(*) in Milvus, %.1f s; the task's start before "
                + "it %.1f s); model inside data-process %.1f texts/s; raw ONNX Runtime (tokenizing and pooling "
                + "included) %.1f texts/s; pipeline/raw %.2f, model/raw %.2f%n",
                model, label, tokens, BATCH, Runtime.getRuntime().availableProcessors(), rowsPerSecond, f.rows(), f.seconds(),
                f.startSeconds(), f.modelTextsPerSecond(), raw, rowsPerSecond / raw, f.modelTextsPerSecond() / raw);
    }

    /**
     * Starts the task on the empty table and waits until its (empty) snapshot is complete, so
     * the task's start (topics, collection, connector) is outside the clock; then inserts every
     * text in one transaction and times from its commit until Milvus counts every row: the
     * pipeline's steady rate, the same work the raw figure times.
     */
    private static Figures pipeline(String taskId, List<String> texts, String model) throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String table = "bench_" + (taskId.startsWith("bench_l") ? "long" : "short");
        source.create(table, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, title VARCHAR(200), body TEXT) "
                + "CHARACTER SET utf8mb4");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect()) {
            // The template is "{title}\n{body}": an empty title adds one newline, no token.
            String definition = source.definitionFor(taskId, table, List.of("title"))
                    .replace("\"model\": \"all-minilm-l6-v2\"", "\"model\": \"" + model + "\"");
            assertThat(definition).contains("\"model\": \"" + model + "\"");
            try {
                long started = System.nanoTime();
                client.startTask(definition);
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway(
                                "/api/tasks/" + taskId)).body()).path("snapshotCompletedAt").isTextual());
                double startSeconds = (System.nanoTime() - started) / 1e9;

                db.setAutoCommit(false);
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
                    for (int i = 0; i < texts.size(); i++) {
                        ps.setLong(1, i);
                        ps.setString(2, "");
                        ps.setString(3, texts.get(i));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                Map<String, Double> cpuBefore = SuiteProcesses.cpuSeconds(CPU_USERS);
                db.commit();
                long committed = System.nanoTime();
                await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> client.count(taskId) == texts.size());
                double seconds = (System.nanoTime() - committed) / 1e9;
                Map<String, Double> cpuAfter = SuiteProcesses.cpuSeconds(CPU_USERS);
                StringBuilder cpu = new StringBuilder();
                cpuAfter.forEach((name, after) -> cpu.append(cpu.isEmpty() ? "" : ", ").append(name).append(' ')
                        .append(String.format("%.1f", after - cpuBefore.getOrDefault(name, after))));
                System.out.printf("BENCHMARK %s: CPU seconds used during the %.1f s run (2 cores: %.1f available): %s%n",
                        model + " " + table, seconds, 2 * seconds, cpu);
                assertThat(client.count(taskId)).isEqualTo(texts.size());
                double embedded = DataPathClient.processMetric("datarsync_embedding_texts_total", taskId);
                double modelSeconds = DataPathClient.processMetric("datarsync_embedding_latency_seconds_sum", taskId);
                assertThat(embedded).as("every text embedded once, none from the cache").isEqualTo(texts.size());
                return new Figures(texts.size(), seconds, embedded / modelSeconds, startSeconds);
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    /** {@code count} texts of {@code words} common words (one token each) after a run marker. */
    private static List<String> texts(int count, int words, String run) {
        Random random = new Random(run.hashCode());
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder(run).append(i);
            for (int w = 0; w < words; w++) {
                text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            }
            out.add(text.toString());
        }
        return out;
    }
}
