package com.datarsync.milvus.service;

import com.datarsync.common.stage.StageName;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.EventJson;
import com.datarsync.common.event.VectorRecord;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import com.datarsync.stage.kafka.CommittingBatchConsumer;
import com.datarsync.stage.kafka.DeadLetterRecords;
import com.datarsync.stage.kafka.KeyPartitions;
import com.datarsync.stage.StageOps;
import com.datarsync.stage.TaskProgress;
import com.datarsync.stage.TaskRateLimits;
import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.milvus.domain.BatchCollapser;
import com.datarsync.milvus.domain.CollectionSpec;
import com.datarsync.milvus.domain.MilvusExpressions;
import com.datarsync.milvus.infra.MilvusCircuitBreaker;
import com.datarsync.milvus.infra.MilvusCollections;
import com.datarsync.milvus.infra.MilvusFailures;
import com.datarsync.milvus.infra.SnapshotKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of vector records to Milvus: collapsed per row, then deletes, upserts and, in
 * a chunked task, the removal of chunks the rows no longer have; a TRUNCATE splits the batch and
 * is applied between the records before and after it. Returns only after Milvus acknowledged all
 * of it, so the consumer commits nothing Milvus does not hold; a replay after a crash in between
 * writes the same end state again.
 *
 * <p>Every call goes through the collection's {@link MilvusCircuitBreaker}. Only a refusal of a
 * row's data sends that row to the dead letters; any failure of Milvus itself fails the batch,
 * which is then retried whole, so no row is lost to an outage.
 */
final class VectorBatchWriter implements CommittingBatchConsumer.BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(VectorBatchWriter.class);

    /** Kind of milvus-sync's limit in {@link TaskRateLimits}: the definition's {@code limits.milvusEntitiesPerSecond}. */
    static final String WRITES = "milvusEntitiesPerSecond";
    private static final int SCAN_PAGE = 10_000;

    private final SyncTaskDefinition task;
    private final SyncTaskDefinition.Target target;
    private final MilvusCollections milvus;
    private final MilvusCircuitBreaker breaker;
    private final AcknowledgedPublisher publisher;
    private final TaskProgress progress;
    private final boolean chunked;
    private final String collection;
    /** The field holding each entity's row key (the primary key unless chunks have their own). */
    private final String rowKeyField;
    private final List<String> keyFields;

    /** The input each record of the current batch was read from: a dead letter names it for replay. */
    private final Map<VectorRecord, ConsumerRecord<String, byte[]>> inputs = new IdentityHashMap<>();
    private boolean failedBefore;
    /** The snapshot sweep's bookkeeping (partitions inside a snapshot, rows seen there). */
    private final SnapshotSweep sweep;
    /** The collection between batches: loaded, and indexed after a first full load. */
    private final CollectionUpkeep upkeep;

    VectorBatchWriter(SyncTaskDefinition task, MilvusCollections milvus, MilvusCircuitBreaker breaker,
            SnapshotKeys snapshotKeys, AcknowledgedPublisher publisher, TaskProgress progress) {
        this.task = task;
        this.target = task.target();
        this.milvus = milvus;
        this.breaker = breaker;
        this.publisher = publisher;
        this.progress = progress;
        this.chunked = target.chunked();
        this.collection = target.collection();
        this.rowKeyField = target.rowKeyField() != null ? target.rowKeyField() : target.primaryKeyField();
        this.keyFields = rowKeyField.equals(target.primaryKeyField()) ? List.of(rowKeyField)
                : List.of(target.primaryKeyField(), rowKeyField);
        String onlyTable = task.tables().get(0).qualifiedName(SourceKind.byId(task.source().kind()).orElseThrow(),
                task.source().database());
        this.sweep = new SnapshotSweep(task.id(), snapshotKeys, progress, task.tables().size() > 1, onlyTable);
        this.upkeep = new CollectionUpkeep(task.id(), target, milvus, breaker, snapshotKeys, progress);
    }

    @Override
    public void handle(List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
        upkeep.beforeBatch(failedBefore);
        sweep.beforeBatch();
        failedBefore = true;
        inputs.clear();
        List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        List<VectorRecord> segment = new ArrayList<>();
        long lastTs = -1;
        Map<Integer, Long> newestTs = new HashMap<>();
        for (ConsumerRecord<String, byte[]> input : batch) {
            VectorRecord record;
            try {
                record = checked(EventJson.read(input.value(), VectorRecord.class));
            } catch (IllegalArgumentException e) {
                deadLetters.add(DeadLetterRecords.of(task.id(), StageName.MILVUS_SYNC.label(), ErrorCode.RECORD_REJECTED, e.getMessage(),
                        input));
                continue;
            }
            inputs.put(record, input);
            progress.metrics().eventsIn(StageOps.of(record.op()), 1);
            if (record.sourceTsMs() > 0) {
                // Markers carry no source time; the lag is measured on changes and heartbeats.
                lastTs = record.sourceTsMs();
                newestTs.put(input.partition(), lastTs);
            }
            if (record.op() == VectorRecord.Op.HEARTBEAT) {
                continue;
            }
            if (record.op() == VectorRecord.Op.UPSERT || record.op() == VectorRecord.Op.DELETE) {
                segment.add(record);
                continue;
            }
            // A truncate or snapshot marker stands between the rows' records before and after it.
            write(segment, deadLetters);
            segment.clear();
            if (record.op() != VectorRecord.Op.SNAPSHOT_END) {
                // A truncate or a new snapshot must not be swept by an earlier snapshot's end.
                sweep.sweepEnded(this::removeRows);
            }
            switch (record.op()) {
                case TRUNCATE -> truncate(record.truncate());
                case SNAPSHOT_BEGIN -> sweep.begin(input.partition());
                case SNAPSHOT_END -> {
                    sweep.ended(input.partition(), record.truncate().partitions());
                    upkeep.snapshotEnded(input.partition(), record.truncate().partitions());
                }
                default -> throw new IllegalStateException("unhandled " + record.op());
            }
        }
        write(segment, deadLetters);
        sweep.sweepEnded(this::removeRows);
        upkeep.afterBatch();
        if (!deadLetters.isEmpty()) {
            publisher.publishAll(deadLetters, progress);
        }
        progress.add("deadLetters", deadLetters.size());
        if (lastTs >= 0) {
            progress.set("lastSourceTsMs", lastTs);
        }
        // Milvus acknowledged every write of the batch: each partition is done up to its newest source time.
        newestTs.forEach(progress.metrics()::finished);
        progress.set("sourceWatermarkMs", progress.metrics().watermark());
        failedBefore = false;
    }

    /** One Milvus write request, timed as a success or a failure (each try of the circuit breaker counts). */
    private void timed(String operation, Runnable write) {
        long started = System.nanoTime();
        try {
            write.run();
        } catch (RuntimeException e) {
            progress.metrics().milvusWrite(operation, false, System.nanoTime() - started);
            throw e;
        }
        progress.metrics().milvusWrite(operation, true, System.nanoTime() - started);
    }

    private void write(List<VectorRecord> records, List<ProducerRecord<String, byte[]>> deadLetters)
            throws InterruptedException {
        if (records.isEmpty()) {
            return;
        }
        BatchCollapser.Collapsed collapsed = BatchCollapser.collapse(records);
        // Under a limit, deleted rows count one each, a tenth of a second's worth per request.
        if (!collapsed.deletes().isEmpty()) {
            progress.limits().inSlices(progress, WRITES, collapsed.deletes(), k -> 1, keys -> breaker.run(collection,
                    () -> timed("delete", () -> {
                        if (chunked) {
                            milvus.deleteRowEntities(collection, target.rowKeyField(), target.primaryKeyField(), keys,
                                    List.of());
                        } else {
                            milvus.delete(collection, keys);
                        }
                    })));
        }
        sweep.notePartitionsWritten(collapsed.upserts().stream().map(r -> inputs.get(r).partition()).toList());
        List<VectorRecord> written = collapsed.upserts().isEmpty() ? List.of()
                : upsert(collapsed.upserts(), deadLetters);
        if (chunked && !written.isEmpty()) {
            // The chunks a shorter text no longer has: the row's entities outside its new set.
            breaker.run(collection, () -> timed("delete", () -> milvus.deleteRowEntities(collection,
                    target.rowKeyField(), target.primaryKeyField(), written.stream().map(VectorRecord::rowKey).toList(),
                    written.stream().flatMap(r -> r.entities().stream()).map(VectorRecord.Entity::primaryKey).toList())));
        }
        Map<Integer, List<String>> writtenRows = new HashMap<>();
        written.forEach(r -> writtenRows.computeIfAbsent(inputs.get(r).partition(), p -> new ArrayList<>()).add(r.rowKey()));
        sweep.noteSnapshotRows(writtenRows);
        progress.metrics().eventsOut("delete", collapsed.deletes().size());
        progress.metrics().eventsOut("upsert", written.size());
        progress.add("deletedRows", collapsed.deletes().size());
        progress.add("upsertedRows", written.size());
        progress.add("upsertedEntities", written.stream().mapToInt(r -> r.entities().size()).sum());
        progress.add("collapsedRecords", records.size() - collapsed.deletes().size() - collapsed.upserts().size());
    }

    /**
     * Removes the truncated table's entities whose rows travel in this copy's partition: every
     * entity of the table once all partitions' copies are through, each in order with its row's
     * own changes.
     */
    private void truncate(VectorRecord.Truncate truncate) {
        String filter = truncate.rowKeyPrefix().isEmpty() ? ""
                : MilvusExpressions.startsWith(rowKeyField, truncate.rowKeyPrefix());
        long removed = removeRows(filter, rowKey -> rowKey.startsWith(truncate.rowKeyPrefix()) && KeyPartitions.of(
                truncate.changeKeyPrefix() + rowKey, truncate.partitions()) == truncate.partition(), rows -> rows);
        log.info("Truncate of {} (partition {} of {}) removed {} entities from {}", truncate.table(),
                truncate.partition(), truncate.partitions(), removed, collection);
        progress.add("truncatedEntities", removed);
        if (truncate.partition() == 0) {
            progress.add("truncates", 1);
        }
    }

    /**
     * Streams the row keys of the entities matching {@code filter} from Milvus a page at a time and
     * removes every entity of the rows {@code inScope} accepts and {@code pick} keeps from each
     * page; returns the entities removed.
     */
    private long removeRows(String filter, Predicate<String> inScope, UnaryOperator<List<String>> pick) {
        long[] removed = {0};
        breaker.run(collection, () -> milvus.scan(collection, filter, keyFields, SCAN_PAGE, page -> {
            Map<String, List<String>> entitiesByRow = new HashMap<>();
            for (Map<String, Object> entity : page) {
                String rowKey = (String) entity.get(rowKeyField);
                if (rowKey != null && inScope.test(rowKey)) {
                    entitiesByRow.computeIfAbsent(rowKey, k -> new ArrayList<>())
                            .add((String) entity.get(target.primaryKeyField()));
                }
            }
            List<String> doomed = new ArrayList<>();
            for (String rowKey : pick.apply(new ArrayList<>(entitiesByRow.keySet()))) {
                doomed.addAll(entitiesByRow.get(rowKey));
            }
            if (!doomed.isEmpty()) {
                milvus.delete(collection, doomed);
                removed[0] += doomed.size();
            }
        }));
        return removed[0];
    }

    @Override
    public void partitionsAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
        sweep.partitionsReassigned();
    }

    /** A record milvus-sync can write, else IllegalArgumentException naming what is wrong. */
    private static VectorRecord checked(VectorRecord record) {
        if (record.op() == VectorRecord.Op.HEARTBEAT) {
            return record;
        }
        if (record.op() == VectorRecord.Op.SNAPSHOT_BEGIN || record.op() == VectorRecord.Op.SNAPSHOT_END) {
            if (record.truncate() == null || record.truncate().partitions() < 1) {
                throw new IllegalArgumentException("a snapshot marker without its partition count");
            }
            return record;
        }
        if (record.op() == VectorRecord.Op.TRUNCATE) {
            VectorRecord.Truncate t = record.truncate();
            if (t == null || t.rowKeyPrefix() == null || t.changeKeyPrefix() == null || t.partitions() < 1
                    || t.partition() < 0 || t.partition() >= t.partitions()) {
                throw new IllegalArgumentException("a truncate without its table scope and partition");
            }
            return record;
        }
        if (record.rowKey() == null) {
            throw new IllegalArgumentException("the record has no row key");
        }
        if (record.op() == VectorRecord.Op.UPSERT) {
            if (record.entities() == null || record.entities().isEmpty()) {
                throw new IllegalArgumentException("an upsert without entities");
            }
            for (VectorRecord.Entity e : record.entities()) {
                if (e.primaryKey() == null || e.primaryKey().getBytes(StandardCharsets.UTF_8).length
                        > CollectionSpec.PRIMARY_KEY_MAX_LENGTH) {
                    throw new IllegalArgumentException("primary key is missing or longer than "
                            + CollectionSpec.PRIMARY_KEY_MAX_LENGTH + " bytes");
                }
            }
        }
        return record;
    }

    /**
     * Upserts the rows' entities, in parts under the task's limit. When Milvus refuses a part for
     * its data, its rows are tried one by one so the refused ones go to the dead letters and the
     * rest are written; when the failure is Milvus itself (at any point), it is thrown and the
     * whole batch is retried.
     *
     * @return the rows written
     */
    private List<VectorRecord> upsert(List<VectorRecord> upserts, List<ProducerRecord<String, byte[]>> deadLetters)
            throws InterruptedException {
        List<VectorRecord> written = new ArrayList<>(upserts.size());
        // Under a limit each entity counts one, a tenth of a second's worth per request (a row's
        // entities stay together).
        progress.limits().inSlices(progress, WRITES, upserts, r -> r.entities().size(),
                part -> written.addAll(upsertPart(part, deadLetters)));
        return written;
    }

    private List<VectorRecord> upsertPart(List<VectorRecord> upserts, List<ProducerRecord<String, byte[]>> deadLetters) {
        try {
            breaker.run(collection, () -> timed("upsert", () -> milvus.upsert(collection, target.primaryKeyField(),
                    entities(upserts))));
            return upserts;
        } catch (RuntimeException batchFailure) {
            if (!MilvusFailures.isAboutTheData(batchFailure)) {
                throw batchFailure;
            }
            log.warn("Milvus refused the data of a batch of {} rows for {}, trying row by row: {}", upserts.size(),
                    collection, batchFailure.getMessage());
        }
        List<VectorRecord> written = new ArrayList<>();
        for (VectorRecord record : upserts) {
            try {
                breaker.run(collection, () -> timed("upsert", () -> milvus.upsert(collection, target.primaryKeyField(),
                        entities(record))));
                written.add(record);
            } catch (RuntimeException e) {
                if (!MilvusFailures.isAboutTheData(e)) {
                    throw e;
                }
                deadLetters.add(DeadLetterRecords.of(task.id(), StageName.MILVUS_SYNC.label(), ErrorCode.RECORD_REJECTED,
                        "Milvus refused the row: " + e.getMessage(), inputs.get(record)));
            }
        }
        return written;
    }

    private List<VectorRecord.Entity> entities(List<VectorRecord> records) {
        return records.stream().flatMap(r -> entities(r).stream()).toList();
    }

    /** A row's entities, each stamped with its change's commit time when the target has a field for it. */
    private List<VectorRecord.Entity> entities(VectorRecord record) {
        String field = target.sourceTimeField();
        if (field == null) {
            return record.entities();
        }
        return record.entities().stream().map(e -> {
            Map<String, Object> fields = e.fields() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(e.fields());
            fields.put(field, record.sourceTsMs());
            return new VectorRecord.Entity(e.primaryKey(), fields, e.vectors());
        }).toList();
    }
}
