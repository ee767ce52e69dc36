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
 * Writes one batch of vector records to Milvus: collapsed per key, deletes then upserts. Returns
 * only after Milvus acknowledged both, so the consumer commits nothing Milvus does not hold.
 */
final class VectorBatchWriter implements CommittingBatchConsumer.BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(VectorBatchWriter.class);

    private final SyncTaskDefinition task;
    private final MilvusCollections milvus;
    private final AcknowledgedPublisher publisher;
    private final TaskProgress progress;

    VectorBatchWriter(SyncTaskDefinition task, MilvusCollections milvus, AcknowledgedPublisher publisher,
            TaskProgress progress) {
        this.task = task;
        this.milvus = milvus;
        this.publisher = publisher;
        this.progress = progress;
    }

    @Override
    public void handle(List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
        List<VectorRecord> records = new ArrayList<>(batch.size());
        List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> input : batch) {
            try {
                VectorRecord record = EventJson.read(input.value(), VectorRecord.class);
                if (record.primaryKey() == null || record.primaryKey().getBytes(StandardCharsets.UTF_8).length
                        > CollectionSpec.PRIMARY_KEY_MAX_LENGTH) {
                    throw new IllegalArgumentException("primary key is missing or longer than "
                            + CollectionSpec.PRIMARY_KEY_MAX_LENGTH + " bytes");
                }
                records.add(record);
            } catch (IllegalArgumentException e) {
                deadLetters.add(DeadLetterRecords.of(task.id(), "milvus-sync", ErrorCode.RECORD_REJECTED, e.getMessage(),
                        input.key(), input.value()));
            }
        }
        BatchCollapser.Collapsed collapsed = BatchCollapser.collapse(records);
        String collection = task.target().collection();
        if (!collapsed.deletes().isEmpty()) {
            milvus.delete(collection, collapsed.deletes());
        }
        if (!collapsed.upserts().isEmpty()) {
            upsert(collection, collapsed.upserts(), deadLetters);
        }
        if (!deadLetters.isEmpty()) {
            publisher.publishAll(deadLetters);
        }
        progress.add("deletedEntities", collapsed.deletes().size());
        progress.add("upsertedEntities", collapsed.upserts().size());
        progress.add("collapsedRecords", records.size() - collapsed.deletes().size() - collapsed.upserts().size());
        progress.add("deadLetters", deadLetters.size());
        if (!records.isEmpty()) {
            progress.set("lastSourceTsMs", records.get(records.size() - 1).sourceTsMs());
        }
    }

    /**
     * Upserts the batch; when Milvus refuses it, retries row by row so one bad row (for example a
     * value Milvus rejects) goes to the dead-letter topic instead of blocking the task. When every
     * row fails, the cause is Milvus itself and the batch is retried as a whole.
     */
    private void upsert(String collection, List<VectorRecord> upserts, List<ProducerRecord<String, byte[]>> deadLetters) {
        try {
            milvus.upsert(collection, task.target().primaryKeyField(), upserts);
            return;
        } catch (RuntimeException batchFailure) {
            if (upserts.size() == 1) {
                throw batchFailure;
            }
            log.warn("Upsert of {} rows into {} failed, retrying row by row: {}", upserts.size(), collection,
                    batchFailure.getMessage());
        }
        List<ProducerRecord<String, byte[]>> rejected = new ArrayList<>();
        RuntimeException last = null;
        for (VectorRecord record : upserts) {
            try {
                milvus.upsert(collection, task.target().primaryKeyField(), List.of(record));
            } catch (RuntimeException e) {
                last = e;
                rejected.add(DeadLetterRecords.of(task.id(), "milvus-sync", ErrorCode.RECORD_REJECTED,
                        "Milvus refused the row: " + e.getMessage(), record.primaryKey(), EventJson.write(record)));
            }
        }
        if (rejected.size() == upserts.size()) {
            throw last;
        }
        deadLetters.addAll(rejected);
    }
}
