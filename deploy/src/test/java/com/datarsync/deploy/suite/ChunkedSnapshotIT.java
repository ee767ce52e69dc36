package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A snapshot read in primary-key chunks by several threads at once (Debezium's
 * {@code snapshot.max.threads}; docs/data-path.md, "Snapshot in chunks") while the table keeps
 * changing: inserts, updates, key changes and deletes run from before the task starts until the
 * snapshot is complete. Afterwards Milvus must hold exactly the source rows, field by field and
 * vector by vector, on MariaDB and on PostgreSQL (whose table has a two-column key).
 */
class ChunkedSnapshotIT extends RunningSuite {

    private static final int SEEDED = 3_000;
    private static final int THREADS = 4;

    @Test
    void aChunkedParallelSnapshotOfAChangingMariaDbTableMirrorsIt() throws Exception {
        snapshotWhileChanging(new MariaDbE2eTable());
    }

    @Test
    void aChunkedParallelSnapshotOfAChangingPostgresTableMirrorsIt() throws Exception {
        snapshotWhileChanging(new PostgresE2eTable());
    }

    private void snapshotWhileChanging(E2eTable table) throws Exception {
        String taskId = "chunks_" + table.kind() + "_" + runId();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (DataPathClient client = new DataPathClient()) {
            try {
                table.recreate();
                table.seed(SEEDED);
                String source = table.sourceJson();
                String definition = table.definition(taskId, taskId).replace(source,
                        source.substring(0, source.length() - 1) + ", \"options\": {\"snapshot.max.threads\": \""
                                + THREADS + "\"}}");
                assertThat(definition).contains("\"snapshot.max.threads\": \"" + THREADS + "\"");
                Future<?> changes = writer.submit(() -> {
                    while (writing.get()) {
                        table.change(5);
                    }
                    return null;
                });
                client.startTask(definition);
                await("snapshot completed").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway(
                                "/api/tasks/" + taskId)).body()).path("snapshotCompletedAt").isTextual());
                writing.set(false);
                changes.get();
                int during = table.changesApplied();
                table.change(20);
                client.awaitMirror(table, taskId, "after a snapshot in " + THREADS + " threads with " + during
                        + " changes made while it ran");

                Map<String, Integer> ops = DataPathClient.operationsInChangeTopic(taskId);
                System.out.printf("CHUNKS %s: %d seeded rows, %d changes while the snapshot ran, %d rows read by it%n",
                        table.kind(), SEEDED, during, ops.getOrDefault("r", 0));
                assertThat(during).as("changes made while the snapshot ran").isGreaterThan(0);
            } finally {
                writing.set(false);
                writer.shutdownNow();
                client.deleteTask(taskId, true);
                table.dropCaptureState(taskId);
            }
        }
    }
}
