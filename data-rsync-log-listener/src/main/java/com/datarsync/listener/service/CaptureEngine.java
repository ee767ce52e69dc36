package com.datarsync.listener.service;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.EventJson;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import com.datarsync.stage.kafka.DeadLetterRecords;
import com.datarsync.common.event.TopicNames;
import com.datarsync.stage.AbstractTaskStage;
import com.datarsync.stage.StageOps;
import com.datarsync.stage.TaskProgress;
import com.datarsync.stage.TaskRateLimits;
import com.datarsync.common.stage.TaskState;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.domain.ChangeEventConverter;
import com.datarsync.listener.infra.SnapshotNotifications;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import com.datarsync.listener.domain.UnconvertibleRecordException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's Debezium embedded engine. Each batch of source records is converted, published to
 * the task's change topic and only then marked processed, so the offsets Debezium stores never
 * run ahead of what Kafka holds ({@link OffsetMarking}: nor past half of a primary-key change).
 */
final class CaptureEngine implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>,
        AbstractTaskStage.Runner {

    private static final Logger log = LoggerFactory.getLogger(CaptureEngine.class);
    /** A heartbeat only after this long without a batch: a batch's changes carry the time themselves. */
    private static final long HEARTBEAT_AFTER_MS = 1_500;
    /** A change still on its way from the server may be this much older than a caught-up check. */
    private static final long HEARTBEAT_MARGIN_MS = 500;

    private final SyncTaskDefinition task;
    private final ChangeEventConverter converter;
    private final AcknowledgedPublisher publisher;
    private final TaskProgress progress;
    private final String changeTopic;
    private final ExecutorService thread;
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final SourceConnectionWatch connectionWatch;
    private volatile boolean stopping;
    /** Whether this engine run already marked the beginning of its snapshot in every partition. */
    private boolean snapshotBegun;
    /** Held while a batch or a heartbeat is published, so a heartbeat never overtakes a change. */
    private final ReentrantLock publishing = new ReentrantLock();
    private volatile long lastBatchAt;
    private final ExecutorService heartbeats;
    private final java.util.concurrent.atomic.AtomicBoolean heartbeatQueued = new java.util.concurrent.atomic.AtomicBoolean();

    /** Where an incremental snapshot's requests are kept; null for a task without one. */
    private final IncrementalSnapshotRequests snapshotRequests;
    private final String logicalName;
    private final java.util.function.Consumer<io.debezium.pipeline.notification.Notification> notifications =
            this::notified;

    CaptureEngine(SyncTaskDefinition task, Properties properties, AcknowledgedPublisher publisher, TaskProgress progress,
            IncrementalSnapshotRequests snapshotRequests) {
        this.task = task;
        this.snapshotRequests = snapshotRequests;
        this.logicalName = properties.getProperty("topic.prefix");
        this.converter = new ChangeEventConverter(task);
        this.publisher = publisher;
        this.progress = progress;
        this.changeTopic = TopicNames.changes(task.id());
        this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "capture-" + task.id()));
        this.heartbeats = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + task.id());
            t.setDaemon(true);
            return t;
        });
        this.connectionWatch = new SourceConnectionWatch(properties.getProperty("topic.prefix"), progress,
                this::heartbeat);
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .notifying(this)
                .using(this::completed)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        progress.running();
                        if (snapshotRequests != null) {
                            // Off the engine's thread: the signal channel appears only once it polls.
                            Thread signaller = new Thread(() -> signalSnapshot(snapshotRequests.toSignal(task.id())),
                                    "snapshot-signal-" + task.id());
                            signaller.setDaemon(true);
                            signaller.start();
                        }
                    }
                })
                .build();
    }

    /** Kind of the listener's limit in {@link TaskRateLimits}: the definition's {@code limits.eventsPerSecond}. */
    static final String EVENTS = "eventsPerSecond";

    void start() {
        SnapshotNotifications.register(logicalName, notifications);
        thread.execute(() -> {
            // Every line the engine's thread logs names its task (a "task" field in the JSON).
            org.slf4j.MDC.put("task", task.id());
            engine.run();
        });
        connectionWatch.start();
    }

    /**
     * Asks a running capture to read the tables again, chunk by chunk, beside its stream (an
     * incremental snapshot); noted first, so a crash before Debezium records it asks again.
     */
    SyncTaskDefinition definition() {
        return task;
    }

    void resnapshot(List<String> tables) {
        if (snapshotRequests == null) {
            throw new IllegalStateException("task " + task.id() + " has no incremental snapshot");
        }
        snapshotRequests.request(task.id(), tables);
        signalSnapshot(tables);
    }

    /**
     * Signals Debezium (in-process channel) to snapshot the tables incrementally. The signal
     * channel exists only once the connector's task runs, so the first tries may find none.
     */
    private void signalSnapshot(List<String> tables) {
        if (tables.isEmpty()) {
            return;
        }
        String data = new String(EventJson.write(Map.of("data-collections", tables, "type", "incremental")),
                StandardCharsets.UTF_8);
        for (int attempt = 0; !stopping; attempt++) {
            try {
                engine.getSignaler().signal(new DebeziumEngine.Signal(java.util.UUID.randomUUID().toString(),
                        "execute-snapshot", data, null));
                log.info("Task {}: incremental snapshot of {} requested", task.id(), tables);
                return;
            } catch (RuntimeException notYet) {
                if (attempt >= 120) {
                    log.error("Task {}: the incremental snapshot of {} could not be requested: {}", task.id(), tables,
                            notYet.toString());
                    return;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Rows the initial snapshot's tables held, from Debezium's per-table notifications; -1 once one did not say. */
    private long initialSnapshotRows;

    /** Debezium's snapshot notifications: progress per chunk and table, and the end. */
    private void notified(io.debezium.pipeline.notification.Notification n) {
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
                    emptySnapshotCompleted();
                }
            }
            default -> { }
        }
    }

    private void emptySnapshotCompleted() {
        publishing.lock();
        try {
            if (snapshotBegun) {
                return;
            }
            List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
            markEveryPartition(out, ChangeEvent.Op.b, null);
            markEveryPartition(out, ChangeEvent.Op.e, null);
            // Kafka may be down: the markers are the snapshot's only trace, so they wait for it.
            boolean published = false;
            while (!published && !stopping) {
                try {
                    publisher.publishAll(out, progress);
                    published = true;
                } catch (RuntimeException kafkaDown) {
                    log.warn("Task {}: the end of an empty snapshot is not published yet: {}", task.id(),
                            kafkaDown.toString());
                    Thread.sleep(1_000);
                }
            }
            if (!published) {
                return;
            }
            snapshotBegun = true;
            progress.add("snapshotsCompleted", 1);
            if (task.mode() == SyncTaskDefinition.Mode.FULL) {
                progress.completed("Snapshot complete");
            }
            log.info("Task {}: initial snapshot complete, every table empty", task.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            publishing.unlock();
        }
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        publishing.lockInterruptibly();
        try {
            long started = System.nanoTime();
            // Under a limit the batch goes out a tenth of a second's worth at a time, so the rate
            // holds within the batch too (no burst of a whole batch after a long wait). Under the
            // lock: no heartbeat may claim these changes went ahead while they wait.
            progress.limits().inSlices(progress, EVENTS, records, r -> 1, part -> publish(part, committer));
            progress.metrics().batch(records.size(), System.nanoTime() - started);
        } finally {
            lastBatchAt = System.currentTimeMillis();
            publishing.unlock();
        }
    }

    /**
     * Called when the capture has caught up with the source (connected, nothing queued): unless a
     * batch went out lately (its changes carry the time already), publishes a heartbeat to every
     * partition saying every change committed before {@code caughtUpAt} went ahead of it, so each
     * stage's lag stays true while the source is quiet. Skipped while a batch is being published.
     */
    private void heartbeat(long caughtUpAt) {
        if (stopping || progress.state() != TaskState.RUNNING || caughtUpAt - lastBatchAt < HEARTBEAT_AFTER_MS
                || !heartbeatQueued.compareAndSet(false, true)) {
            return;
        }
        // On the engine's own heartbeat thread: waiting for Kafka must not hold up the watch's
        // timer, which every task shares.
        try {
            heartbeats.execute(() -> {
                org.slf4j.MDC.put("task", task.id());
                try {
                    publishHeartbeat(caughtUpAt);
                } finally {
                    heartbeatQueued.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            heartbeatQueued.set(false);
        }
    }

    private void publishHeartbeat(long caughtUpAt) {
        if (stopping || !publishing.tryLock()) {
            return;
        }
        try {
            if (lastBatchAt > caughtUpAt - HEARTBEAT_AFTER_MS) {
                // A batch went out since the check: its changes are newer than this heartbeat would say.
                return;
            }
            long watermark = caughtUpAt - HEARTBEAT_MARGIN_MS;
            List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
            toEveryPartition(out, null, new ChangeEvent(ChangeEvent.VERSION, task.id(), new ChangeEvent.Source(
                    task.source().kind(), task.source().database(), null, null, null, watermark, false),
                    ChangeEvent.Op.h, null, null, null));
            publisher.publishAll(out, progress);
            progress.metrics().finished(-1, watermark);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException kafkaDown) {
            // The next batch meets the same outage and reports it; a heartbeat is no change to keep.
            log.debug("Heartbeat of task {} not published: {}", task.id(), kafkaDown.toString());
        } finally {
            publishing.unlock();
        }
    }

    private void publish(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(records.size());
        long newestTs = 0;
        boolean snapshotDone = false;
        long snapshot = 0;
        long streamed = 0;
        long inserts = 0;
        long updates = 0;
        long deletes = 0;
        long deadLetters = 0;
        long truncates = 0;
        for (RecordChangeEvent<SourceRecord> record : records) {
            SourceRecord source = record.record();
            snapshotDone |= ChangeEventConverter.isLastSnapshotRecord(source);
            Optional<ChangeEvent> event;
            try {
                event = converter.convert(source);
            } catch (UnconvertibleRecordException e) {
                // One value the event model cannot carry must not stop the task: dead-letter the row.
                String raw = String.valueOf(source.value());
                out.add(DeadLetterRecords.of(task.id(), "log-listener", ErrorCode.RECORD_REJECTED, e.getMessage(),
                        e.key(), raw.substring(0, Math.min(raw.length(), 64 * 1024)).getBytes(StandardCharsets.UTF_8)));
                deadLetters++;
                continue;
            }
            if (event.isEmpty()) {
                continue;
            }
            ChangeEvent change = event.get();
            progress.metrics().eventsIn(StageOps.of(change), 1);
            newestTs = Math.max(newestTs, change.source().tsMs());
            if (change.source().snapshot() && !snapshotBegun && snapshotRequests == null) {
                // A snapshot restarted after a crash begins again: milvus-sync forgets what it saw.
                markEveryPartition(out, ChangeEvent.Op.b, change.source());
                snapshotBegun = true;
            }
            if (change.op().isTruncate()) {
                toEveryPartition(out, change.source().qualifiedTable() + "/", change);
                progress.metrics().eventsOut("truncate", 1);
                truncates++;
                continue;
            }
            if (change.key() == null) {
                out.add(DeadLetterRecords.of(task.id(), "log-listener", ErrorCode.RECORD_REJECTED,
                        "table " + change.source().qualifiedTable()
                        + " has no primary key; set message.key.columns in source.options", null, EventJson.write(change)));
                deadLetters++;
                continue;
            }
            ProducerRecord<String, byte[]> published = DeadLetterRecords.sizeChecked(new ProducerRecord<>(changeTopic,
                    change.source().qualifiedTable() + "/" + change.key(), EventJson.write(change)), task.id(),
                    "log-listener");
            out.add(published);
            if (!published.topic().equals(changeTopic)) {
                deadLetters++;
                continue;
            }
            progress.metrics().eventsOut(StageOps.of(change), 1);
            if (change.source().snapshot()) {
                snapshot++;
            } else {
                streamed++;
                switch (change.op()) {
                    case c -> inserts++;
                    case u -> updates++;
                    case d -> deletes++;
                    default -> { }
                }
            }
        }
        if (snapshotDone && snapshotBegun) {
            markEveryPartition(out, ChangeEvent.Op.e, null);
        }
        publisher.publishAll(out, progress);
        OffsetMarking.mark(records, committer);
        progress.metrics().finished(-1, newestTs);
        progress.add("snapshotRecords", snapshot);
        progress.add("streamedRecords", streamed);
        progress.add("publishedRecords", out.size());
        progress.add("inserts", inserts);
        progress.add("updates", updates);
        progress.add("deletes", deletes);
        progress.add("deadLetters", deadLetters);
        progress.add("truncates", truncates);
        if (snapshotDone) {
            progress.add("snapshotsCompleted", 1);
            if (task.mode() == SyncTaskDefinition.Mode.FULL) {
                progress.completed("Snapshot complete");
            }
        }
    }

    /** A snapshot marker ({@code b} or {@code e}) in every partition of the change topic. */
    private void markEveryPartition(List<ProducerRecord<String, byte[]>> out, ChangeEvent.Op op,
            ChangeEvent.Source at) {
        toEveryPartition(out, null, new ChangeEvent(ChangeEvent.VERSION, task.id(), new ChangeEvent.Source(
                task.source().kind(), task.source().database(), null, null, at == null ? null : at.position(),
                System.currentTimeMillis(), true), op, null, null, null));
    }

    /**
     * One copy of an event that belongs to no single row (a TRUNCATE, a snapshot marker) in every
     * partition of the change topic, so it stands in order with the changes of every row.
     */
    private void toEveryPartition(List<ProducerRecord<String, byte[]>> out, String key, ChangeEvent event) {
        byte[] bytes = EventJson.write(event);
        int partitions = publisher.partitionCount(changeTopic);
        for (int p = 0; p < partitions; p++) {
            out.add(new ProducerRecord<>(changeTopic, p, key, bytes));
        }
    }

    private void completed(boolean success, String message, Throwable error) {
        connectionWatch.stop();
        if (stopping) {
            progress.stopped();
            return;
        }
        if (success && task.mode() == SyncTaskDefinition.Mode.FULL) {
            progress.completed("Snapshot complete");
            return;
        }
        CaptureFailures.Classified failure = CaptureFailures.classify(message, error);
        log.error("Capture of task {} stopped: {} {}", task.id(), failure.code().code(), failure.message());
        progress.failed(failure.code(), failure.message());
    }

    /** Closes the engine (which flushes the offsets of acknowledged records) and waits for it. */
    @Override
    public void stop() {
        stopping = true;
        SnapshotNotifications.unregister(logicalName, notifications);
        connectionWatch.stop();
        heartbeats.shutdownNow();
        try {
            engine.close();
        } catch (IllegalStateException e) {
            // An engine that failed has shut itself down already; releasing its task is no error.
            log.debug("Capture of task {} was already shut down", task.id());
        } catch (IOException e) {
            log.warn("Closing the capture of task {} failed: {}", task.id(), e.getMessage());
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
