package com.datarsync.milvus.service;

import com.datarsync.common.stage.StageName;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import com.datarsync.stage.kafka.CommittingBatchConsumer;
import com.datarsync.common.event.TopicNames;
import com.datarsync.stage.kafka.TopicProvisioner;
import com.datarsync.stage.AbstractTaskStage;
import com.datarsync.stage.TaskProgress;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.milvus.infra.MilvusCircuitBreaker;
import com.datarsync.milvus.infra.MilvusCollections;
import com.datarsync.milvus.infra.SnapshotKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** The writer's side of a task: consume vector records in batches and keep the collection in step. */
@Service
public class MilvusSyncStage extends AbstractTaskStage {

    /** Makes each task's consumer (spring-kafka's factory over the stage's Kafka settings). */
    private final ConsumerFactory<String, byte[]> consumers;
    private final TopicProvisioner topics;
    private final AcknowledgedPublisher publisher;
    private final MilvusCollections milvus;
    private final MilvusCircuitBreaker breaker;
    private final SnapshotKeys snapshotKeys;
    private final int batchSize;
    private final Duration batchWait;

    public MilvusSyncStage(ConsumerFactory<String, byte[]> consumers, TopicProvisioner topics, AcknowledgedPublisher publisher,
            MilvusCollections milvus, MilvusCircuitBreaker breaker, SnapshotKeys snapshotKeys, @Value("${datarsync.milvus.batch-size}") int batchSize,
            @Value("${datarsync.milvus.batch-wait}") Duration batchWait) {
        this.consumers = consumers;
        this.topics = topics;
        this.publisher = publisher;
        this.milvus = milvus;
        this.breaker = breaker;
        this.snapshotKeys = snapshotKeys;
        this.batchSize = batchSize;
        this.batchWait = batchWait;
    }

    @Override
    public String name() {
        return StageName.MILVUS_SYNC.label();
    }

    /** milvus-sync's limit is on entities written per second (VectorBatchWriter#WRITES). */
    @Override
    protected Map<String, Integer> rateLimits(SyncTaskDefinition.Limits limits) {
        return limits == null || limits.milvusEntitiesPerSecond() == null ? Map.of()
                : Map.of(VectorBatchWriter.WRITES, limits.milvusEntitiesPerSecond());
    }

    /** Refuses the task when an existing collection differs (DRS-4091); creates nothing. */
    @Override
    public void check(SyncTaskDefinition definition) {
        onMilvus(definition, "check", () -> milvus.verify(definition.target()));
    }

    /** Writing depends on the target only. */
    @Override
    public Object usedPart(SyncTaskDefinition definition) {
        return definition.target();
    }

    @Override
    public List<String> cleanUp(SyncTaskDefinition definition, boolean dropTarget) {
        List<String> removed = new ArrayList<>();
        if (topics.deleteConsumerGroup(groupId(definition.id()))) {
            removed.add("consumer group " + groupId(definition.id()));
        }
        snapshotKeys.deleteTask(definition.id());
        String collection = definition.target().collection();
        if (dropTarget && onMilvus(definition, "drop", () -> milvus.drop(collection))) {
            removed.add("collection " + collection);
        }
        return removed;
    }

    /** The collection's entities; for a chunked task these are chunks, not rows. */
    @Override
    public Map<String, Long> measure(SyncTaskDefinition definition) {
        String collection = definition.target().collection();
        long entities = onMilvus(definition, "count", () -> milvus.verify(definition.target())
                ? milvus.count(collection) : 0L);
        return definition.target().chunked() ? Map.of("entities", entities, "chunked", 1L) : Map.of("entities", entities);
    }

    /**
     * Whether the task's collection is (to be) written without vector indexes: a task with
     * target.index.afterLoad whose collection does not exist yet (noted before it is created), or
     * whose first load has not ended yet.
     */
    private boolean indexLater(SyncTaskDefinition definition) {
        if (!definition.target().indexAfterLoad()) {
            return false;
        }
        if (snapshotKeys.indexPending(definition.id())) {
            return true;
        }
        if (onMilvus(definition, "check", () -> milvus.verify(definition.target()))) {
            return false;
        }
        snapshotKeys.indexPending(definition.id(), true);
        return true;
    }

    private static String groupId(String taskId) {
        return "datarsync-milvus-" + taskId;
    }

    private <T> T onMilvus(SyncTaskDefinition definition, String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (DataRsyncException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataRsyncException(ErrorCode.TARGET_UNAVAILABLE, "Milvus did not " + what + " collection '"
                    + definition.target().collection() + "': " + e.getMessage(), Map.of(), e);
        }
    }

    @Override
    protected Runner launch(SyncTaskDefinition definition, TaskProgress progress) {
        String id = definition.id();
        try {
            // Also on resume after a restart: Milvus may have restarted too and needs the load.
            boolean indexLater = indexLater(definition);
            progress.set("indexPending", indexLater ? 1 : 0);
            if (onMilvus(definition, "prepare", () -> milvus.ensure(definition.target(), indexLater))) {
                // Every partition's first snapshot then begins on an empty key space (VectorBatchWriter).
                snapshotKeys.collectionCreated(id);
            }
            topics.ensure(List.of(TopicNames.vectors(id), TopicNames.deadLetters(id)), definition.partitions());
        } catch (DataRsyncException e) {
            progress.failed(e.errorCode(), e.getMessage());
            return null;
        }
        CommittingBatchConsumer consumer = new CommittingBatchConsumer(consumers, groupId(id),
                TopicNames.vectors(id), batchSize, batchWait,
                new VectorBatchWriter(definition, milvus, breaker, snapshotKeys, publisher, progress), progress);
        consumer.start();
        return consumer;
    }
}
