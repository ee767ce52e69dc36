package com.datarsync.listener.service;

import com.datarsync.common.stage.StageName;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.EventJson;
import com.datarsync.common.event.TopicNames;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.domain.ChangeEventConverter;
import com.datarsync.listener.domain.UnconvertibleRecordException;
import com.datarsync.stage.StageOps;
import com.datarsync.stage.TaskProgress;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import com.datarsync.stage.kafka.DeadLetterRecords;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one task's captured changes to its change topic: each batch converted, published and
 * only then marked processed, so the offsets Debezium stores never run ahead of what Kafka holds
 * ({@link OffsetMarking}: nor past half of a primary-key change); the snapshot's begin and end
 * markers in every partition; heartbeats, never ahead of a change (one lock for both).
 */
final class ChangeBatchPublisher {

    private static final Logger log = LoggerFactory.getLogger(ChangeBatchPublisher.class);

    /** Kind of the listener's limit in the task's rate limits: the definition's {@code limits.eventsPerSecond}. */
    static final String EVENTS = "eventsPerSecond";

    private final SyncTaskDefinition task;
    private final ChangeEventConverter converter;
    private final AcknowledgedPublisher publisher;
    private final TaskProgress progress;
    private final String changeTopic;
    /** The task's snapshot is incremental (its markers are Debezium's, not ours). */
    private final boolean incrementalSnapshot;
    private final BooleanSupplier stopping;
    /** Whether this engine run already marked the beginning of its snapshot in every partition. */
    private boolean snapshotBegun;
    /** Held while a batch or a heartbeat is published, so a heartbeat never overtakes a change. */
    private final ReentrantLock publishing = new ReentrantLock();
    private volatile long lastBatchAt;

    ChangeBatchPublisher(SyncTaskDefinition task, AcknowledgedPublisher publisher, TaskProgress progress,
            boolean incrementalSnapshot, BooleanSupplier stopping) {
        this.task = task;
        this.converter = new ChangeEventConverter(task);
        this.publisher = publisher;
        this.progress = progress;
        this.changeTopic = TopicNames.changes(task.id());
        this.incrementalSnapshot = incrementalSnapshot;
        this.stopping = stopping;
    }

    /** When the last batch went out (epoch ms). */
    long lastBatchAt() {
        return lastBatchAt;
    }

    void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
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
     * A heartbeat in every partition saying every change committed before {@code caughtUpAt} (less
     * a margin) went ahead of it; skipped while a batch is being published or when one went out
     * within {@code quietMs} before it.
     */
    void publishHeartbeat(long caughtUpAt, long quietMs, long marginMs) {
        if (stopping.getAsBoolean() || !publishing.tryLock()) {
            return;
        }
        try {
            if (lastBatchAt > caughtUpAt - quietMs) {
                // A batch went out since the check: its changes are newer than this heartbeat would say.
                return;
            }
            long watermark = caughtUpAt - marginMs;
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

    /**
     * An initial snapshot of tables that were all empty sends no row, so no last row marks its
     * end: its begin and end markers go out here (milvus-sync then removes what the collection
     * still holds from an earlier load) and the snapshot counts as complete.
     */
    void emptySnapshotCompleted() {
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
            while (!published && !stopping.getAsBoolean()) {
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
                out.add(DeadLetterRecords.of(task.id(), StageName.LOG_LISTENER.label(), ErrorCode.RECORD_REJECTED, e.getMessage(),
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
            if (change.source().snapshot() && !snapshotBegun && !incrementalSnapshot) {
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
                out.add(DeadLetterRecords.of(task.id(), StageName.LOG_LISTENER.label(), ErrorCode.RECORD_REJECTED,
                        "table " + change.source().qualifiedTable()
                        + " has no primary key; set message.key.columns in source.options", null, EventJson.write(change)));
                deadLetters++;
                continue;
            }
            ProducerRecord<String, byte[]> published = DeadLetterRecords.sizeChecked(new ProducerRecord<>(changeTopic,
                    change.source().qualifiedTable() + "/" + change.key(), EventJson.write(change)), task.id(),
                    StageName.LOG_LISTENER.label());
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
}
