package com.datarsync.milvus.service;

import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.milvus.infra.MilvusCircuitBreaker;
import com.datarsync.milvus.infra.MilvusCollections;
import com.datarsync.milvus.infra.SnapshotKeys;
import com.datarsync.stage.TaskProgress;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's collection around its batches: checked and loaded again after a failed batch (Milvus
 * may have restarted), kept loaded between batches, and for a first full load written without
 * vector indexes (index after load), the indexes built once every partition's load has ended.
 */
final class CollectionUpkeep {

    private static final Logger log = LoggerFactory.getLogger(CollectionUpkeep.class);
    private static final long LOAD_CHECK_INTERVAL_MS = 5_000;

    private final String taskId;
    private final SyncTaskDefinition.Target target;
    private final String collection;
    private final MilvusCollections milvus;
    private final MilvusCircuitBreaker breaker;
    private final SnapshotKeys snapshotKeys;
    private final TaskProgress progress;

    /** The collection has no vector index yet: its first full load is being written. */
    private boolean indexLater;
    private long loadCheckedAt = System.currentTimeMillis();
    /** The partitions whose end marker of a full load written without indexes this batch holds. */
    private final Map<Integer, Integer> loadEnded = new HashMap<>();

    CollectionUpkeep(String taskId, SyncTaskDefinition.Target target, MilvusCollections milvus,
            MilvusCircuitBreaker breaker, SnapshotKeys snapshotKeys, TaskProgress progress) {
        this.taskId = taskId;
        this.target = target;
        this.collection = target.collection();
        this.milvus = milvus;
        this.breaker = breaker;
        this.snapshotKeys = snapshotKeys;
        this.progress = progress;
        this.indexLater = snapshotKeys.indexPending(taskId);
    }

    /** Before a batch; {@code failedBefore}: the last batch failed (and is now handed over again). */
    void beforeBatch(boolean failedBefore) {
        long now = System.currentTimeMillis();
        if (indexLater && (failedBefore || now - loadCheckedAt > LOAD_CHECK_INTERVAL_MS)) {
            // Another instance may have built the indexes (it wrote the last partition's end marker).
            indexLater = snapshotKeys.indexPending(taskId);
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
        loadEnded.clear();
    }

    /** A partition's snapshot ended: when its load is written without indexes, it counts towards their build. */
    void snapshotEnded(int partition, int partitions) {
        if (indexLater) {
            loadEnded.put(partition, partitions);
        }
    }

    /**
     * After the end markers of a full load written without vector indexes: once every
     * partition's is (in this instance or another), builds the indexes, waits for them and loads
     * the collection; the task manager counts the snapshot complete only then ({@code
     * indexPending} 0). A build that fails fails the batch, which is retried.
     */
    void afterBatch() {
        boolean everyPartition = false;
        for (Map.Entry<Integer, Integer> e : loadEnded.entrySet()) {
            everyPartition |= snapshotKeys.loadEnded(taskId, e.getKey(), e.getValue());
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
        snapshotKeys.indexPending(taskId, false);
        indexLater = false;
        progress.set("indexPending", 0);
        progress.set("indexBuildMs", (System.nanoTime() - started) / 1_000_000);
        log.info("Task {}: indexes of {} built after the full load in {} ms and loaded: {}", taskId, collection,
                (System.nanoTime() - started) / 1_000_000, built);
    }
}
