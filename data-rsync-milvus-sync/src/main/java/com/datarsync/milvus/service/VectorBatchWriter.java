package com.datarsync.milvus.service;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.EventJson;
import com.datarsync.common.event.RowKey;
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
import java.util.Set;
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
    private static final long LOAD_CHECK_INTERVAL_MS = 5_000;
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
    private final boolean qualifiedKeys;
    private final String onlyTable;

    /** The input each record of the current batch was read from: a dead letter names it for replay. */
    private final Map<VectorRecord, ConsumerRecord<String, byte[]>> inputs = new IdentityHashMap<>();
    private boolean failedBefore;
    private final SnapshotKeys snapshotKeys;
    private Set<Integer> openPartitions;
    /** Open partitions whose snapshot began with none of their rows in the collection: no notes, no sweep. */
    private Set<Integer> freshPartitions;
    /** Partitions noted in Redis as having had rows upserted (read once, then kept up to date here). */
    private Set<Integer> writtenPartitions;
    /** Partitions whose snapshot-end marker this batch holds, with the topic's partition count. */
    private final Map<Integer, Integer> ended = new HashMap<>();
    /** The partitions whose end marker of a full load written without indexes this batch holds. */
    private final Map<Integer, Integer> loadEnded = new HashMap<>();
    /** The collection has no vector index yet: its first full load is being written. */
    private boolean indexLater;
    private long loadCheckedAt = System.currentTimeMillis();

    VectorBatchWriter(SyncTaskDefinition task, MilvusCollections milvus, MilvusCircuitBreaker breaker,
            SnapshotKeys snapshotKeys, AcknowledgedPublisher publisher, TaskProgress progress) {
        this.snapshotKeys = snapshotKeys;
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
        this.qualifiedKeys = task.tables().size() > 1;
        this.indexLater = snapshotKeys.indexPending(task.id());
        this.onlyTable = task.tables().get(0).qualifiedName(SourceKind.byId(task.source().kind()).orElseThrow(),
                task.source().database());
    }

    @Override
    public void handle(List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
        long now = System.currentTimeMillis();
        if (indexLater && (failedBefore || now - loadCheckedAt > LOAD_CHECK_INTERVAL_MS)) {
            // Another instance may have built the indexes (it wrote the last partition's end marker).
            indexLater = snapshotKeys.indexPending(task.id());
            progress.set("indexPending", indexLater ? 1 : 0);
        }
        if (failedBefore) {
            // Milvus may have restarted since the last try: a restarted server needs the load again.
            breaker.run(collection, () -> {
                milvus.ping(collection);
                milvus.ensure(target, indexLater);
            });
            loadCheckedAt = now;
        } else if (now - loadCheckedAt > LOAD_CHECK_INTERVAL_MS) {
            // A Milvus restart between two batches fails no write but leaves the collection released.
            if (!indexLater) {
                breaker.run(collection, () -> milvus.ensureLoaded(collection));
            }
            loadCheckedAt = now;
        }
        failedBefore = true;
        inputs.clear();
        ended.clear();
        loadEnded.clear();
        List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        List<VectorRecord> segment = new ArrayList<>();
        long lastTs = -1;
        Map<Integer, Long> newestTs = new HashMap<>();
        for (ConsumerRecord<String, byte[]> input : batch) {
            VectorRecord record;
            try {
                record = checked(EventJson.read(input.value(), VectorRecord.class));
            } catch (IllegalArgumentException e) {
                deadLetters.add(DeadLetterRecords.of(task.id(), "milvus-sync", ErrorCode.RECORD_REJECTED, e.getMessage(),
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
                sweepEnded();
            }
            switch (record.op()) {
                case TRUNCATE -> truncate(record.truncate());
                case SNAPSHOT_BEGIN -> begin(input.partition());
                // Swept at the end of the batch, all ended partitions in one scan of the collection;
                // meanwhile the partition stays open, so rows written after the marker count as seen.
                case SNAPSHOT_END -> {
                    ended.put(input.partition(), record.truncate().partitions());
                    if (indexLater) {
                        loadEnded.put(input.partition(), record.truncate().partitions());
                    }
                }
                default -> throw new IllegalStateException("unhandled " + record.op());
            }
        }
        write(segment, deadLetters);
        sweepEnded();
        buildIndexesIfLoaded(loadEnded);
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

    /**
     * After the end markers of a full load written without vector indexes: once every
     * partition's is (in this instance or another), builds the indexes, waits for them and loads
     * the collection; the task manager counts the snapshot complete only then ({@code
     * indexPending} 0). A build that fails fails the batch, which is retried.
     */
    private void buildIndexesIfLoaded(Map<Integer, Integer> loadEnded) throws InterruptedException {
        boolean everyPartition = false;
        for (Map.Entry<Integer, Integer> e : loadEnded.entrySet()) {
            everyPartition |= snapshotKeys.loadEnded(task.id(), e.getKey(), e.getValue());
        }
        if (!everyPartition) {
            return;
        }
        long started = System.nanoTime();
        Map<String, String> built = breaker.call(collection, () -> {
            try {
                return milvus.buildIndexes(target);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the index was built", e);
            }
        });
        snapshotKeys.indexPending(task.id(), false);
        indexLater = false;
        progress.set("indexPending", 0);
        progress.set("indexBuildMs", (System.nanoTime() - started) / 1_000_000);
        log.info("Task {}: indexes of {} built after the full load in {} ms and loaded: {}", task.id(), collection,
                (System.nanoTime() - started) / 1_000_000, built);
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
        notePartitionsWritten(collapsed.upserts());
        List<VectorRecord> written = collapsed.upserts().isEmpty() ? List.of()
                : upsert(collapsed.upserts(), deadLetters);
        if (chunked && !written.isEmpty()) {
            // The chunks a shorter text no longer has: the row's entities outside its new set.
            breaker.run(collection, () -> timed("delete", () -> milvus.deleteRowEntities(collection,
                    target.rowKeyField(), target.primaryKeyField(), written.stream().map(VectorRecord::rowKey).toList(),
                    written.stream().flatMap(r -> r.entities().stream()).map(VectorRecord.Entity::primaryKey).toList())));
        }
        noteSnapshotRows(written);
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

    /**
     * Another instance took or gave partitions: another instance may have begun a snapshot in the
     * ones now here, so what is cached of the shared state is read again.
     */
    @Override
    public void partitionsAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
        openPartitions = null;
        freshPartitions = null;
        writtenPartitions = null;
    }

    /** The partitions whose snapshot is under way, read from Redis once (they survive a restart). */
    private Set<Integer> openPartitions() {
        if (openPartitions == null) {
            openPartitions = snapshotKeys.openPartitions(task.id());
            freshPartitions = snapshotKeys.freshPartitions(task.id());
        }
        return openPartitions;
    }

    /**
     * A partition's snapshot begins. When none of its rows was written since this task created the
     * collection, there is nothing a sweep could find: its rows are neither noted nor swept, which
     * spares a full load a scan of everything it wrote.
     */
    private void begin(int partition) {
        boolean fresh = snapshotKeys.untouched(task.id(), partition);
        snapshotKeys.begin(task.id(), partition, fresh);
        openPartitions().add(partition);
        if (fresh) {
            freshPartitions.add(partition);
        } else {
            freshPartitions.remove(partition);
        }
    }

    /** Notes in Redis, before the upsert, the partitions that get their first rows. */
    private void notePartitionsWritten(List<VectorRecord> upserts) {
        if (writtenPartitions == null) {
            writtenPartitions = snapshotKeys.writtenPartitions(task.id());
        }
        Set<Integer> first = new java.util.TreeSet<>();
        for (VectorRecord record : upserts) {
            int partition = inputs.get(record).partition();
            if (!writtenPartitions.contains(partition)) {
                first.add(partition);
            }
        }
        if (!first.isEmpty()) {
            snapshotKeys.writing(task.id(), first);
            writtenPartitions.addAll(first);
        }
    }

    /** Notes the rows written in partitions whose snapshot is under way (fresh ones need no notes). */
    private void noteSnapshotRows(List<VectorRecord> written) {
        if (openPartitions().isEmpty() || written.isEmpty()) {
            return;
        }
        Map<Integer, List<String>> byPartition = new HashMap<>();
        for (VectorRecord record : written) {
            int partition = inputs.get(record).partition();
            if (openPartitions.contains(partition) && !freshPartitions.contains(partition)) {
                byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(record.rowKey());
            }
        }
        byPartition.forEach((partition, rowKeys) -> snapshotKeys.saw(task.id(), partition, rowKeys));
    }

    /**
     * At the end of partitions' snapshots: removes the entities of those partitions' rows that
     * were not written since their snapshot began, which are rows the source no longer holds. One
     * scan of the collection serves every partition ended in the batch (the markers of a snapshot
     * arrive together), so a large collection is read once, not once per partition.
     */
    private void sweep(Map<Integer, Integer> partitionCounts) {
        Map<Integer, Integer> sweeping = new HashMap<>();
        partitionCounts.forEach((partition, partitions) -> {
            if (openPartitions().contains(partition)) {
                sweeping.put(partition, partitions);
            } else {
                // Its beginning was not seen (the snapshot began before these notes existed): nothing to compare.
                log.warn("Snapshot end without its beginning in partition {} of task {}: no sweep", partition, task.id());
            }
        });
        // A fresh partition's rows were all written since its snapshot began: nothing to sweep.
        for (Integer partition : List.copyOf(sweeping.keySet())) {
            if (freshPartitions.remove(partition)) {
                sweeping.remove(partition);
                snapshotKeys.end(task.id(), partition);
                openPartitions.remove(partition);
                log.info("Snapshot of task {} ended in partition {}, which it began empty: no sweep", task.id(), partition);
            }
        }
        if (sweeping.isEmpty()) {
            return;
        }
        long removed = removeRows("", rowKey -> sweeping.containsKey(partitionOf(rowKey, sweeping)), rows -> {
            Map<Integer, List<String>> byPartition = new HashMap<>();
            rows.forEach(row -> byPartition.computeIfAbsent(partitionOf(row, sweeping), p -> new ArrayList<>()).add(row));
            List<String> unseen = new ArrayList<>();
            byPartition.forEach((partition, keys) -> unseen.addAll(snapshotKeys.unseen(task.id(), partition, keys)));
            return unseen;
        });
        sweeping.keySet().forEach(partition -> {
            snapshotKeys.end(task.id(), partition);
            openPartitions.remove(partition);
        });
        log.info("Snapshot of task {} ended in partitions {}: {} entities of rows the source no longer holds removed",
                task.id(), new java.util.TreeSet<>(sweeping.keySet()), removed);
        progress.add("sweptEntities", removed);
    }

    private void sweepEnded() {
        if (!ended.isEmpty()) {
            sweep(ended);
            ended.clear();
        }
    }

    /** The change-topic partition of a row (every ended partition shares the topic's partition count). */
    private int partitionOf(String rowKey, Map<Integer, Integer> sweeping) {
        int partitions = sweeping.values().iterator().next();
        return KeyPartitions.of(RowKey.changeKey(rowKey, qualifiedKeys, onlyTable), partitions);
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
                deadLetters.add(DeadLetterRecords.of(task.id(), "milvus-sync", ErrorCode.RECORD_REJECTED,
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
