package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.v2.service.vector.request.DeleteReq;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
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

    /**
     * Rows and chunk size of the resumable snapshot: enough chunks for a crash to fall among them
     * (3,000 rows, 30 chunks, in the test command; 6,000 in {@code datarsync bench}).
     */
    private static final int RESUMABLE_ROWS = SuiteSize.setting("DATARSYNC_RESUMABLE_ROWS", 3_000, 6_000);
    private static final int RESUMABLE_CHUNK = 100;
    private static final int RESUMABLE_CHANGES = RESUMABLE_ROWS / 4;
    /**
     * Change events per second the resumable snapshot's task may publish (its rate limit): the
     * snapshot takes about six seconds at either size, so the crash falls well inside it.
     */
    private static final int RESUMABLE_PACE = RESUMABLE_ROWS / 6;

    @Test
    void aResumableSnapshotOfAMariaDbTableCrashedMidwayResumesFromItsLastChunk() throws Exception {
        crashMidSnapshot(new MariaDbE2eTable(), true);
    }

    @Test
    void aResumableSnapshotOfAPostgresTableCrashedMidwayResumesFromItsLastChunk() throws Exception {
        crashMidSnapshot(new PostgresE2eTable(), false);
    }

    /**
     * An incremental snapshot ({@code source.snapshot.method INCREMENTAL}: Debezium reads the
     * table a primary-key chunk at a time beside the stream, its progress stored with the log
     * position) with the listener killed (SIGKILL) once half of the rows is in the change topic
     * and a position inside the snapshot is stored. Counted in Kafka by each record's timestamp: the rows read after the crash are the
     * rest of the table plus at most the chunks read in the last offset-flush interval, not the
     * whole table again; and Milvus equals the source afterwards while changes ran throughout.
     */
    private void crashMidSnapshot(E2eTable table, boolean viaConsole) throws Exception {
        String taskId = "resume_" + table.kind() + "_" + runId();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (DataPathClient client = new DataPathClient()) {
            try {
                table.recreate();
                table.seed(RESUMABLE_ROWS);
                long lastSeeded = longOf(table, "SELECT MAX(id) FROM " + E2eTable.TABLE);
                String chunked = withSource(table, taskId, "\"snapshot\": {\"method\": \"INCREMENTAL\", "
                        + "\"chunkSize\": " + RESUMABLE_CHUNK + "}");
                // Paced, so the crash falls well inside the snapshot whatever this machine's speed.
                String definition = chunked.substring(0, chunked.lastIndexOf('}')) + ", \"limits\": {\"eventsPerSecond\": "
                        + RESUMABLE_PACE + "}}";
                // A steady stream, bounded: the embedding stage must be able to catch up with it.
                Future<?> changes = writer.submit(() -> {
                    while (writing.get() && table.changesApplied() < RESUMABLE_CHANGES) {
                        table.change(5);
                        Thread.sleep(25);
                    }
                    return null;
                });
                long started = System.currentTimeMillis();
                client.startTask(definition);
                // Half the table read, and a position inside the snapshot stored: the crash then
                // falls between two stored chunks, which is what a resume must cope with.
                DataPathClient.awaitTask(taskId, "half of the rows read and a snapshot position stored",
                        Duration.ofMinutes(5), Duration.ofMillis(100),
                        () -> TaskTopics.operationsInChangeTopic(taskId).getOrDefault("r", 0) >= RESUMABLE_ROWS / 2
                                && storedOffsets(taskId).contains("incremental_snapshot_collections"));
                long killedAt = System.currentTimeMillis();
                SuiteProcesses.kill("log-listener");
                SuiteProcesses.start("log-listener");
                DataPathClient.awaitTask(taskId, "snapshot completed", Duration.ofMinutes(10), Duration.ofMillis(200),
                        () -> JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId)).body())
                                .path("snapshotCompletedAt").isTextual());
                writing.set(false);
                changes.get();
                int during = table.changesApplied();
                table.change(20);
                client.awaitMirror(table, taskId, "after an incremental snapshot crashed midway, with " + during
                        + " changes made while it ran");

                long[] reads = TaskTopics.snapshotReadsAround(taskId, killedAt);
                // Seeded rows neither deleted nor re-keyed: present from the first moment to the last,
                // so a snapshot begun again after the crash would have read every one of them.
                long throughout = longOf(table, "SELECT COUNT(*) FROM " + E2eTable.TABLE + " WHERE id <= " + lastSeeded);
                System.out.printf("RESUMED SNAPSHOT %s: %d rows in chunks of %d, %d read before the crash (%d ms "
                        + "after the start), %d after it (%d rows were there throughout); %d changes while it ran%n",
                        table.kind(), RESUMABLE_ROWS, RESUMABLE_CHUNK, reads[0], killedAt - started, reads[1], throughout,
                        during);
                assertThat(reads[0]).as("rows read before the crash").isBetween((long) RESUMABLE_ROWS / 2,
                        (long) RESUMABLE_ROWS - RESUMABLE_CHUNK);
                assertThat(reads[1]).as("rows read after the crash: the rest of the table, not all of it again")
                        .isLessThan(throughout);

                // The running task reads the table again on request (MariaDB: the console's button;
                // PostgreSQL: the API), beside its stream: entities removed from Milvus behind its
                // back come back, and every row is read once more.
                List<String> keys = new ArrayList<>(new TreeMap<>(table.expectedEntities()).keySet());
                List<Object> removed = List.of(keys.get(1), keys.get(keys.size() / 2), keys.get(keys.size() - 2));
                client.milvus.delete(DeleteReq.builder().collectionName(taskId).ids(removed).build());
                int readBefore = TaskTopics.operationsInChangeTopic(taskId).getOrDefault("r", 0);
                if (viaConsole) {
                    // The console's button on the task page (every table), confirmed in its dialog.
                    try (ConsoleBrowser browser = new ConsoleBrowser()) {
                        browser.login("admin", AuthClient.adminPassword());
                        browser.page("/tasks/" + taskId);
                        browser.waitForText("task-state", "运行中");
                        browser.click("task-resnapshot");
                        browser.confirm();
                        browser.waitUntil(Duration.ofSeconds(30), d -> {
                            try {
                                return TaskTopics.operationsInChangeTopic(taskId).getOrDefault("r", 0) > readBefore;
                            } catch (RuntimeException notYet) {
                                return false;
                            }
                        });
                    }
                } else {
                    HttpResponse<String> asked = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + taskId
                            + "/resnapshot"), "{\"tables\": [\"" + E2eTable.TABLE + "\"]}");
                    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
                }
                table.change(20);
                DataPathClient.awaitTask(taskId, "the table read again", Duration.ofMinutes(3), Duration.ofSeconds(1),
                        () -> TaskTopics.operationsInChangeTopic(taskId).getOrDefault("r", 0) - readBefore
                                >= keys.size() - 20);
                client.awaitMirror(table, taskId, "after a re-snapshot of the running task, 3 entities having "
                        + "been deleted in Milvus by hand");
                int reread = TaskTopics.operationsInChangeTopic(taskId).getOrDefault("r", 0) - readBefore;
                System.out.printf("RESNAPSHOT %s: %d rows read again for %d rows in the table%n", table.kind(), reread,
                        keys.size());
                assertThat(reread).as("rows read again: each row once but those the 20 changes removed first")
                        .isBetween(keys.size() - 20, keys.size());
            } finally {
                writing.set(false);
                writer.shutdownNow();
                client.deleteTask(taskId, true);
                table.dropCaptureState(taskId);
            }
        }
    }

    /** The offsets the listener stored for the task in Redis (Debezium's, as JSON text), joined. */
    static String storedOffsets(String taskId) {
        org.redisson.config.Config config = new org.redisson.config.Config();
        config.useSingleServer().setAddress(com.datarsync.common.testsupport.LocalInfra.get().redisUri())
                .setPassword(com.datarsync.common.testsupport.LocalInfra.get().redisPassword())
                .setConnectionMinimumIdleSize(1).setConnectionPoolSize(1);
        org.redisson.api.RedissonClient redis = org.redisson.Redisson.create(config);
        try {
            return String.join("\n", redis.<String, String>getMap("datarsync:debezium:offsets:" + taskId,
                    org.redisson.client.codec.StringCodec.INSTANCE).readAllValues());
        } finally {
            redis.shutdown();
        }
    }

    private void snapshotWhileChanging(E2eTable table) throws Exception {
        String taskId = "chunks_" + table.kind() + "_" + runId();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (DataPathClient client = new DataPathClient()) {
            try {
                table.recreate();
                table.seed(SEEDED);
                String definition = withSource(table, taskId, "\"options\": {\"snapshot.max.threads\": \"" + THREADS
                        + "\"}");
                // Changes throughout, a few hundred a second at most: every one is embedded again, and
                // the point is that they overlap the chunks, not their number.
                Future<?> changes = writer.submit(() -> {
                    while (writing.get()) {
                        table.change(5);
                        Thread.sleep(20);
                    }
                    return null;
                });
                client.startTask(definition);
                DataPathClient.awaitTask(taskId, "snapshot completed", Duration.ofMinutes(10), Duration.ofMillis(200),
                        () -> JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId)).body())
                                .path("snapshotCompletedAt").isTextual());
                writing.set(false);
                changes.get();
                int during = table.changesApplied();
                table.change(20);
                client.awaitMirror(table, taskId, "after a snapshot in " + THREADS + " threads with " + during
                        + " changes made while it ran");

                Map<String, Integer> ops = TaskTopics.operationsInChangeTopic(taskId);
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

    /** The table's task definition with one more member in its {@code source} object. */
    private static String withSource(E2eTable table, String taskId, String member) {
        String source = table.sourceJson();
        String definition = table.definition(taskId, taskId).replace(source,
                source.substring(0, source.length() - 1) + ", " + member + "}");
        assertThat(definition).contains(member);
        return definition;
    }

    private static long longOf(E2eTable table, String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = table.connect(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
