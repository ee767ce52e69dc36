package com.datarsync.milvus.service;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.EventJson;
import com.datarsync.common.event.VectorRecord;
import com.datarsync.common.kafka.AcknowledgedPublisher;
import com.datarsync.common.kafka.CommittingBatchConsumer;
import com.datarsync.common.kafka.DeadLetterRecords;
import com.datarsync.common.stage.TaskProgress;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.milvus.domain.BatchCollapser;
import com.datarsync.milvus.domain.CollectionSpec;
import com.datarsync.milvus.infra.MilvusCollections;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of vector records to Milvus: collapsed per row, then deletes, upserts and, in
 * a chunked task, the removal of chunks the rows no longer have. Returns only after Milvus
 * acknowledged all of it, so the consumer commits nothing Milvus does not hold; a replay after a
 * crash in between writes the same end state again.
 */
final class VectorBatchWriter implements CommittingBatchConsumer.BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(VectorBatchWriter.class);

    private final SyncTaskDefinition task;
    private final MilvusCollections milvus;
    private final AcknowledgedPublisher publisher;
    private final TaskProgress progress;
    private final boolean chunked;
    private static final long LOAD_CHECK_INTERVAL_MS = 5_000;

    private boolean failedBefore;
    private long loadCheckedAt = System.currentTimeMillis();

    VectorBatchWriter(SyncTaskDefinition task, MilvusCollections milvus, AcknowledgedPublisher publisher,
            TaskProgress progress) {
        this.task = task;
        this.milvus = milvus;
        this.publisher = publisher;
        this.progress = progress;
        this.chunked = task.target().chunked();
    }

    @Override
    public void handle(List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
        long now = System.currentTimeMillis();
        if (failedBefore) {
            // Milvus may have restarted since the last try: a restarted server needs the load again.
            milvus.ensure(task.target());
            loadCheckedAt = now;
        } else if (now - loadCheckedAt > LOAD_CHECK_INTERVAL_MS) {
            // A Milvus restart between two batches fails no write but leaves the collection released.
            milvus.ensureLoaded(task.target().collection());
            loadCheckedAt = now;
        }
        failedBefore = true;
        write(batch);
        failedBefore = false;
    }

    private void write(List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
        List<VectorRecord> records = new ArrayList<>(batch.size());
        List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> input : batch) {
            try {
                records.add(checked(EventJson.read(input.value(), VectorRecord.class)));
            } catch (IllegalArgumentException e) {
                deadLetters.add(DeadLetterRecords.of(task.id(), "milvus-sync", ErrorCode.RECORD_REJECTED, e.getMessage(),
                        input.key(), input.value()));
            }
        }
        BatchCollapser.Collapsed collapsed = BatchCollapser.collapse(records);
        String collection = task.target().collection();
        if (!collapsed.deletes().isEmpty()) {
            if (chunked) {
                milvus.deleteRowEntities(collection, task.target().rowKeyField(), task.target().primaryKeyField(),
                        collapsed.deletes(), List.of());
            } else {
                milvus.delete(collection, collapsed.deletes());
            }
        }
        List<VectorRecord> written = collapsed.upserts().isEmpty() ? List.of()
                : upsert(collection, collapsed.upserts(), deadLetters);
        if (chunked && !written.isEmpty()) {
            // The chunks a shorter text no longer has: the row's entities outside its new set.
            milvus.deleteRowEntities(collection, task.target().rowKeyField(), task.target().primaryKeyField(),
                    written.stream().map(VectorRecord::rowKey).toList(),
                    written.stream().flatMap(r -> r.entities().stream()).map(VectorRecord.Entity::primaryKey).toList());
        }
        if (!deadLetters.isEmpty()) {
            publisher.publishAll(deadLetters, progress);
        }
        progress.add("deletedRows", collapsed.deletes().size());
        progress.add("upsertedRows", written.size());
        progress.add("upsertedEntities", written.stream().mapToInt(r -> r.entities().size()).sum());
        progress.add("collapsedRecords", records.size() - collapsed.deletes().size() - collapsed.upserts().size());
        progress.add("deadLetters", deadLetters.size());
        if (!records.isEmpty()) {
            progress.set("lastSourceTsMs", records.get(records.size() - 1).sourceTsMs());
        }
    }

    /** A record milvus-sync can write, else IllegalArgumentException naming what is wrong. */
    private static VectorRecord checked(VectorRecord record) {
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
     * Upserts the rows' entities; when Milvus refuses them, retries row by row so one bad row (for
     * example a value Milvus rejects) goes to the dead-letter topic instead of blocking the task.
     * When every row fails, the cause is Milvus itself and the batch is retried as a whole.
     *
     * @return the rows written
     */
    private List<VectorRecord> upsert(String collection, List<VectorRecord> upserts,
            List<ProducerRecord<String, byte[]>> deadLetters) {
        try {
            milvus.upsert(collection, task.target().primaryKeyField(), entities(upserts));
            return upserts;
        } catch (RuntimeException batchFailure) {
            if (upserts.size() == 1) {
                throw batchFailure;
            }
            log.warn("Upsert of {} rows into {} failed, retrying row by row: {}", upserts.size(), collection,
                    batchFailure.getMessage());
        }
        List<ProducerRecord<String, byte[]>> rejected = new ArrayList<>();
        List<VectorRecord> written = new ArrayList<>();
        RuntimeException last = null;
        for (VectorRecord record : upserts) {
            try {
                milvus.upsert(collection, task.target().primaryKeyField(), record.entities());
                written.add(record);
            } catch (RuntimeException e) {
                last = e;
                rejected.add(DeadLetterRecords.of(task.id(), "milvus-sync", ErrorCode.RECORD_REJECTED,
                        "Milvus refused the row: " + e.getMessage(), record.rowKey(), EventJson.write(record)));
            }
        }
        if (written.isEmpty()) {
            throw last;
        }
        deadLetters.addAll(rejected);
        return written;
    }

    private static List<VectorRecord.Entity> entities(List<VectorRecord> records) {
        return records.stream().flatMap(r -> r.entities().stream()).toList();
    }
}
