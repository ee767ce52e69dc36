package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Full sync at scale (docs/data-path.md, "Scale"): a numeric-features task (no model, so the Milvus writer
 * is the slowest stage) snapshots {@value #FAST_ROWS} MariaDB rows in the test command and
 * {@value #FULL_ROWS} in {@code datarsync bench} (about 13 minutes here), or
 * {@code DATARSYNC_BENCH_ROWS}, then carries an {@code UPDATE} of
 * every row. Each is timed from the task start (or the update's commit) until a Strong count in
 * Milvus holds every row in its new state. Beside them, in the same run, Milvus' own upsert speed
 * for the same rows, collection shape and batch size through pymilvus (the ceiling), and each
 * process's peak resident memory during the run. Last, the latency from a source commit until the
 * row is queryable at 1,000 inserts a second. It asserts that every row arrived, never a time.
 * It runs after the other suite tests but the fuzz and the secrets check, so that its million
 * entities (Milvus Lite is busy for a while after dropping them) are no part of the other
 * benchmarks' runs: run just before them once, the local-model pipeline gave 67 rows/s, against
 * 99 in the CI before.
 */
@Order(Integer.MAX_VALUE - 2)
class NumericScaleBenchmarkIT extends RunningSuite {

    /** Rows in the test command's run, and in {@code datarsync bench} (whose figures docs/data-path.md quotes). */
    private static final int FAST_ROWS = 50_000;
    private static final int FULL_ROWS = 1_000_000;
    /** milvus-sync's batch size (datarsync.milvus.batch-size), so the ceiling writes like the writer. */
    private static final int BATCH = 512;

    @Test
    void printsSnapshotAndUpdateThroughputBesideMilvusOwnUpsertSpeed() throws Exception {
        int rows = SuiteSize.setting("DATARSYNC_BENCH_ROWS", FAST_ROWS, FULL_ROWS);
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "bench_num_" + runId();
        source.createNumeric("bench_numeric", rows, "g");
        try (Connection db = source.connect(); Statement sql = db.createStatement();
                DataPathClient client = new DataPathClient()) {
            if (rows > FAST_ROWS) {
                warmUp(source, client);
            }
            try {
                double snapshotSeconds;
                double updateSeconds;
                String snapshotMemory;
                String updateMemory;
                List<String> processes = List.of("log-listener", "data-process", "milvus-sync", "kafka", "milvus");
                try (PeakRss memory = new PeakRss(processes)) {
                    long t0 = System.nanoTime();
                    client.startTask(definition(source, taskId, "bench_numeric"));
                    awaitRows(client, taskId, "", rows, 0);
                    snapshotSeconds = (System.nanoTime() - t0) / 1e9;
                    snapshotMemory = memory.summary();
                }
                await("snapshot completed").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId))
                                .body()).path("snapshotCompletedAt").isTextual());
                // The verification that follows every snapshot reads the whole collection: Milvus Lite
                // upserts three times slower beside it, so the UPDATE waits for it to end.
                long verifyStarted = System.nanoTime();
                JsonNode verification = awaitVerification(taskId);
                double verifySeconds = (System.nanoTime() - verifyStarted) / 1e9;
                try (PeakRss memory = new PeakRss(processes)) {
                    long writtenBefore = upserted(client, taskId);
                    long t0 = System.nanoTime();
                    sql.executeUpdate("UPDATE bench_numeric SET g = 1");
                    awaitRows(client, taskId, "g == 1", rows, writtenBefore);
                    updateSeconds = (System.nanoTime() - t0) / 1e9;
                    updateMemory = memory.summary();
                }
                List<Long> latencies = latencyAtSteadyRate(client, db, taskId, rows);
                JsonNode ceiling = upsertCeiling(taskId, rows);
                double newKeys = ceiling.path("newKeysRowsPerSecond").asDouble();
                double existingKeys = ceiling.path("existingKeysRowsPerSecond").asDouble();

                System.out.printf("BENCHMARK scale, numeric task: snapshot of %d rows in %.1f s = %.0f rows/s, task start -> "
                        + "Strong count(*) in Milvus; Milvus' own upsert of the same rows (pymilvus, batches of %d, "
                        + "new keys): %.0f rows/s; the pipeline reached %.0f%% of it%n", rows, snapshotSeconds,
                        rows / snapshotSeconds, BATCH, newKeys, 100 * rows / snapshotSeconds / newKeys);
                System.out.printf("BENCHMARK scale, numeric task: UPDATE of all %d rows in %.1f s = %.0f rows/s, commit -> "
                        + "Strong count of updated rows in Milvus; Milvus' own upsert of existing keys: %.0f rows/s; "
                        + "the pipeline reached %.0f%% of it%n", rows, updateSeconds, rows / updateSeconds, existingKeys,
                        100 * rows / updateSeconds / existingKeys);
                System.out.printf("BENCHMARK scale, numeric task: the verification after the snapshot (both key sets of "
                        + "%d rows) ended %.1f s after the snapshot completed: %s %s%n", rows, verifySeconds,
                        verification.path("state").asText(), verification.path("errorMessage").asText(""));
                System.out.printf("BENCHMARK scale, numeric task: latency at %d inserts/s for %d s (transactions of %d rows), "
                        + "source commit -> queryable in Milvus (Strong): p50 %d ms, p99 %d ms, max %d ms%n",
                        STREAM_RATE, STREAM_SECONDS, STREAM_TX_ROWS, QueryableLatency.percentile(latencies, 50), QueryableLatency.percentile(latencies, 99),
                        latencies.get(latencies.size() - 1));
                System.out.println("BENCHMARK scale, peak resident memory during the snapshot: " + snapshotMemory);
                System.out.println("BENCHMARK scale, peak resident memory during the UPDATE: " + updateMemory);
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    /**
     * Waits until a Strong count of the entities matching the filter reaches {@code rows}. Milvus
     * is only counted once milvus-sync says it wrote that many rows more than {@code writtenBefore}:
     * a count of 100,000 entities every half second slowed Milvus Lite's upserts of existing keys
     * fourfold here (any query competes with the writes), which would measure the poll.
     */
    private static void awaitRows(DataPathClient client, String taskId, String filter, int rows, long writtenBefore) {
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> upserted(client, taskId) - writtenBefore >= rows && count(client, taskId, filter) == rows);
    }

    /** The rows milvus-sync has written for the task (its own counter: only when to look in Milvus). */
    private static long upserted(DataPathClient client, String taskId) {
        return client.status("milvus-sync", taskId).path("counters").path("upsertedRows").asLong(0);
    }

    private static long count(DataPathClient client, String collection, String filter) {
        return ((Number) client.milvus.query(QueryReq.builder().collectionName(collection).filter(filter)
                .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().get(0).getEntity().get("count(*)")).longValue();
    }

    private static final int STREAM_RATE = 1_000;
    private static final int STREAM_SECONDS = 15;
    private static final int STREAM_TX_ROWS = 10;

    /**
     * Inserts new rows at {@value #STREAM_RATE} a second (a transaction of {@value #STREAM_TX_ROWS}
     * every 10 ms) and polls Milvus (Strong, the keys still missing, every 20 ms) for each; returns
     * the commit-to-queryable times, sorted.
     */
    private static List<Long> latencyAtSteadyRate(DataPathClient client, Connection db, String collection, int after)
            throws Exception {
        int total = STREAM_RATE * STREAM_SECONDS;
        try (QueryableLatency latency = new QueryableLatency(client.milvus, collection, 20);
                PreparedStatement insert = db.prepareStatement("INSERT INTO bench_numeric VALUES (?, ?, ?, 2)")) {
            db.setAutoCommit(false);
            long start = System.nanoTime();
            for (int tx = 0; tx < total / STREAM_TX_ROWS; tx++) {
                // On schedule, not after a pause: a slow commit must not lower the rate.
                long due = start + TimeUnit.MILLISECONDS.toNanos(tx * 1_000L * STREAM_TX_ROWS / STREAM_RATE);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                List<String> keys = new ArrayList<>(STREAM_TX_ROWS);
                for (int i = 0; i < STREAM_TX_ROWS; i++) {
                    long id = after + 1L + (long) tx * STREAM_TX_ROWS + i;
                    insert.setLong(1, id);
                    insert.setLong(2, id % 1000);
                    insert.setLong(3, id % 7);
                    insert.addBatch();
                    keys.add(Long.toString(id));
                }
                insert.executeBatch();
                db.commit();
                latency.committed(keys, System.nanoTime());
            }
            db.setAutoCommit(true);
            return latency.awaitAll(total, Duration.ofMinutes(5));
        }
    }

    /** The task's first verification (the one after its snapshot) once it has ended. */
    private static JsonNode awaitVerification(String taskId) {
        JsonNode[] ended = new JsonNode[1];
        await("verification after the snapshot").atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    for (JsonNode v : JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId
                            + "/verifications")).body())) {
                        if (!"RUNNING".equals(v.path("state").asText())) {
                            ended[0] = v;
                            return true;
                        }
                    }
                    return false;
                });
        return ended[0];
    }

    /** deploy/local/milvus/upsert_ceiling.py on a copy of the task's collection: its JSON answer. */
    private static JsonNode upsertCeiling(String collection, int rows) throws Exception {
        LocalInfra infra = LocalInfra.get();
        Process process = new ProcessBuilder(SuiteProcesses.tool("venv/bin/python").toString(),
                infra.repo().resolve("deploy/local/milvus/upsert_ceiling.py").toString(), infra.milvusUri(), collection,
                Integer.toString(rows), Integer.toString(BATCH)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return JSON.readTree(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    }

    /**
     * {@code datarsync bench} starts the services for it: on JVMs that have not compiled the data
     * path yet the million-row snapshot ran at about half its speed (docs/data-path.md). A task of
     * 50,000 rows is snapshotted and updated first, then deleted, so the timing measures the
     * pipeline rather than its warm-up (the test command's run follows the other tests: warm).
     */
    private static void warmUp(MariaDbE2eTable source, DataPathClient client) throws Exception {
        String warmId = "bench_warm_" + runId();
        source.createNumeric("bench_warm", FAST_ROWS, "g");
        long t0 = System.nanoTime();
        try (Connection db = source.connect(); Statement sql = db.createStatement()) {
            client.startTask(definition(source, warmId, "bench_warm"));
            awaitRows(client, warmId, "", FAST_ROWS, 0);
            long writtenBefore = upserted(client, warmId);
            sql.executeUpdate("UPDATE bench_warm SET g = 1");
            awaitRows(client, warmId, "g == 1", FAST_ROWS, writtenBefore);
        } finally {
            client.deleteTask(warmId, true);
        }
        System.out.printf("BENCHMARK scale, numeric task: warm-up of %d rows (snapshot and UPDATE, then deleted) in %.1f s "
                + "before the timed run%n", FAST_ROWS, (System.nanoTime() - t0) / 1e9);
    }

    private static String definition(E2eTable source, String taskId, String table) {
        return """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s,
                 "tables": [{"table": "%s"}],
                 "target": {"collection": "%s", "primaryKeyField": "pk",
                            "scalarFields": [{"name": "a", "type": "INT64"}, {"name": "g", "type": "INT64"}],
                            "vectors": [{"name": "features", "dimension": 2, "metric": "L2", "indexType": "AUTOINDEX",
                                         "embedding": {"provider": "numeric", "model": "features", "template": "{a}|{b}",
                                                       "options": {"normalization": "none", "features": "2"}}}]}}
                """.formatted(taskId, source.sourceJson(), table, taskId);
    }
}
