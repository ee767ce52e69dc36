package com.datarsync.listener.service;

import com.datarsync.common.event.EventJson;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.stage.TaskProgress;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's snapshots as Debezium reports and takes them: the incremental snapshot's requests
 * (kept in Redis, signalled to the engine, signalled again after a crash), its progress from
 * Debezium's notifications, and the end of an initial snapshot whose tables were all empty.
 */
final class SnapshotSignals {

    private static final Logger log = LoggerFactory.getLogger(SnapshotSignals.class);

    private final SyncTaskDefinition task;
    private final TaskProgress progress;
    /** Where an incremental snapshot's requests are kept; null for a task without one. */
    private final IncrementalSnapshotRequests snapshotRequests;
    private final ChangeBatchPublisher batches;
    private final Supplier<DebeziumEngine<RecordChangeEvent<SourceRecord>>> engine;
    private final BooleanSupplier streaming;
    private final BooleanSupplier stopping;

    /**
     * @param streaming whether the capture streams the log, its start-up queries done: Debezium
     *                  reads a signalled snapshot's first chunk on the signal's own thread over
     *                  the connection the streaming source also uses (see {@link #signal})
     */
    SnapshotSignals(SyncTaskDefinition task, TaskProgress progress, IncrementalSnapshotRequests snapshotRequests,
            ChangeBatchPublisher batches, Supplier<DebeziumEngine<RecordChangeEvent<SourceRecord>>> engine,
            BooleanSupplier streaming, BooleanSupplier stopping) {
        this.task = task;
        this.progress = progress;
        this.snapshotRequests = snapshotRequests;
        this.batches = batches;
        this.engine = engine;
        this.streaming = streaming;
        this.stopping = stopping;
    }

    /** Once the connector's task runs: what was asked and not yet taken is signalled (again). */
    void taskStarted() {
        if (snapshotRequests != null) {
            signalInBackground(snapshotRequests.toSignal(task.id()));
        }
    }

    /**
     * Asks a running capture to read the tables again, chunk by chunk, beside its stream (an
     * incremental snapshot); noted first, so a crash before Debezium records it asks again.
     */
    void resnapshot(List<String> tables) {
        if (snapshotRequests == null) {
            throw new IllegalStateException("task " + task.id() + " has no incremental snapshot");
        }
        snapshotRequests.request(task.id(), tables);
        signalInBackground(tables);
    }

    /** Off the caller's thread: the signal waits for the capture to stream, see {@link #signal}. */
    private void signalInBackground(List<String> tables) {
        if (tables.isEmpty()) {
            return;
        }
        Thread signaller = new Thread(() -> signal(tables), "snapshot-signal-" + task.id());
        signaller.setDaemon(true);
        signaller.start();
    }

    /**
     * Signals Debezium (in-process channel) to snapshot the tables incrementally, once the capture
     * streams. Debezium reads the first chunk on the signal processor's thread, over the JDBC
     * connection its streaming source uses for its own start-up queries (the schema, the GTID set
     * to resume from); the two at once corrupt the driver's reading of the answers (a MariaDB
     * driver NullPointerException in CI; Debezium's DBZ-8674). While the source is away the
     * signal waits; it is noted in Redis, so a capture stopped meanwhile sends it at its next start.
     */
    void signal(List<String> tables) {
        String data = new String(EventJson.write(Map.of("data-collections", tables, "type", "incremental")),
                StandardCharsets.UTF_8);
        int refused = 0;
        while (!stopping.getAsBoolean()) {
            if (streaming.getAsBoolean()) {
                try {
                    engine.get().getSignaler().signal(new DebeziumEngine.Signal(
                            java.util.UUID.randomUUID().toString(), "execute-snapshot", data, null));
                    log.info("Task {}: incremental snapshot of {} requested", task.id(), tables);
                    return;
                } catch (RuntimeException notYet) {
                    // The signal channel exists only once the connector's task runs.
                    if (++refused > 120) {
                        log.error("Task {}: the incremental snapshot of {} could not be requested: {}", task.id(),
                                tables, notYet.toString());
                        return;
                    }
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Rows the initial snapshot's tables held, from Debezium's per-table notifications; -1 once one did not say. */
    private long initialSnapshotRows;

    /** Debezium's snapshot notifications: progress per chunk and table, and the end. */
    void notified(io.debezium.pipeline.notification.Notification n) {
        Map<String, String> data = n.getAdditionalData() == null ? Map.of() : n.getAdditionalData();
        if ("Initial Snapshot".equals(n.getAggregateType()) && snapshotRequests == null) {
            initialSnapshotNotified(n.getType(), data);
            return;
        }
        if (!"Incremental Snapshot".equals(n.getAggregateType())) {
            return;
        }
        switch (n.getType()) {
            case "IN_PROGRESS" -> progress.add("snapshotChunks", 1);
            case "TABLE_SCAN_COMPLETED" -> {
                progress.add("snapshotTablesRead", 1);
                log.info("Task {}: incremental snapshot read table {} ({} rows, {})", task.id(),
                        data.get("scanned_collection"), data.get("total_rows_scanned"), data.get("status"));
            }
            case "COMPLETED" -> {
                snapshotRequests.finished(task.id());
                progress.add("snapshotsCompleted", 1);
                log.info("Task {}: incremental snapshot complete", task.id());
            }
            case "ABORTED" -> {
                snapshotRequests.finished(task.id());
                log.warn("Task {}: incremental snapshot aborted", task.id());
            }
            default -> { }
        }
    }

    /**
     * An initial snapshot of tables that were all empty sends no row, so no last row marks its
     * end: on Debezium's COMPLETED, when every table said it scanned 0 rows, the snapshot's
     * begin and end markers go out here (milvus-sync then removes what the collection still
     * holds from an earlier load) and the snapshot counts as complete. With no row read there is
     * none still queued for the change topic, so the markers cannot overtake one.
     */
    private void initialSnapshotNotified(String type, Map<String, String> data) {
        switch (type) {
            case "STARTED" -> initialSnapshotRows = 0;
            case "TABLE_SCAN_COMPLETED" -> {
                String rows = data.get("total_rows_scanned");
                initialSnapshotRows = rows == null || initialSnapshotRows < 0 ? -1
                        : initialSnapshotRows + Long.parseLong(rows);
            }
            case "COMPLETED" -> {
                if (initialSnapshotRows == 0) {
                    batches.emptySnapshotCompleted();
                }
            }
            default -> { }
        }
    }
}
