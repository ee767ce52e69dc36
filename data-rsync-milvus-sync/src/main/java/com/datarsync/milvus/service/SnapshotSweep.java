package com.datarsync.milvus.service;

import com.datarsync.common.event.RowKey;
import com.datarsync.milvus.infra.SnapshotKeys;
import com.datarsync.stage.TaskProgress;
import com.datarsync.stage.kafka.KeyPartitions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping of a snapshot's sweep in one task's milvus-sync: which change-topic partitions
 * are inside a snapshot (kept in Redis by {@link SnapshotKeys}, so they survive a restart), the
 * rows written there meanwhile, and at each partition's end the removal of the entities of rows
 * the snapshot did not see, which are rows the source no longer holds.
 */
final class SnapshotSweep {

    private static final Logger log = LoggerFactory.getLogger(SnapshotSweep.class);

    /** Removes, from what matches {@code filter}, every entity of the rows {@code inScope} accepts and {@code pick} keeps. */
    @FunctionalInterface
    interface RowRemover {
        long remove(String filter, Predicate<String> inScope, UnaryOperator<List<String>> pick);
    }

    private final String taskId;
    private final SnapshotKeys snapshotKeys;
    private final TaskProgress progress;
    private final boolean qualifiedKeys;
    private final String onlyTable;

    private Set<Integer> openPartitions;
    /** Open partitions whose snapshot began with none of their rows in the collection: no notes, no sweep. */
    private Set<Integer> freshPartitions;
    /** Partitions noted in Redis as having had rows upserted (read once, then kept up to date here). */
    private Set<Integer> writtenPartitions;
    /** Partitions whose snapshot-end marker this batch holds, with the topic's partition count. */
    private final Map<Integer, Integer> ended = new HashMap<>();

    /**
     * @param qualifiedKeys whether row keys name their table (a task of several tables)
     * @param onlyTable     the table of a single-table task's row keys
     */
    SnapshotSweep(String taskId, SnapshotKeys snapshotKeys, TaskProgress progress, boolean qualifiedKeys,
            String onlyTable) {
        this.taskId = taskId;
        this.snapshotKeys = snapshotKeys;
        this.progress = progress;
        this.qualifiedKeys = qualifiedKeys;
        this.onlyTable = onlyTable;
    }

    /**
     * Another instance took or gave partitions: another instance may have begun a snapshot in the
     * ones now here, so what is cached of the shared state is read again.
     */
    void partitionsReassigned() {
        openPartitions = null;
        freshPartitions = null;
        writtenPartitions = null;
    }

    void beforeBatch() {
        ended.clear();
    }

    /** The partitions whose snapshot is under way, read from Redis once (they survive a restart). */
    private Set<Integer> openPartitions() {
        if (openPartitions == null) {
            openPartitions = snapshotKeys.openPartitions(taskId);
            freshPartitions = snapshotKeys.freshPartitions(taskId);
        }
        return openPartitions;
    }

    /**
     * A partition's snapshot begins. When none of its rows was written since this task created the
     * collection, there is nothing a sweep could find: its rows are neither noted nor swept, which
     * spares a full load a scan of everything it wrote.
     */
    void begin(int partition) {
        boolean fresh = snapshotKeys.untouched(taskId, partition);
        snapshotKeys.begin(taskId, partition, fresh);
        openPartitions().add(partition);
        if (fresh) {
            freshPartitions.add(partition);
        } else {
            freshPartitions.remove(partition);
        }
    }

    /**
     * A partition's snapshot-end marker: swept at the end of the batch, all ended partitions in
     * one scan of the collection; meanwhile the partition stays open, so rows written after the
     * marker count as seen.
     */
    void ended(int partition, int partitions) {
        ended.put(partition, partitions);
    }

    /** Notes in Redis, before the upsert, the partitions that get their first rows. */
    void notePartitionsWritten(Collection<Integer> partitions) {
        if (writtenPartitions == null) {
            writtenPartitions = snapshotKeys.writtenPartitions(taskId);
        }
        Set<Integer> first = new TreeSet<>(partitions);
        first.removeAll(writtenPartitions);
        if (!first.isEmpty()) {
            snapshotKeys.writing(taskId, first);
            writtenPartitions.addAll(first);
        }
    }

    /** Notes the rows written in partitions whose snapshot is under way (fresh ones need no notes). */
    void noteSnapshotRows(Map<Integer, List<String>> rowKeysByPartition) {
        if (openPartitions().isEmpty() || rowKeysByPartition.isEmpty()) {
            return;
        }
        rowKeysByPartition.forEach((partition, rowKeys) -> {
            if (openPartitions.contains(partition) && !freshPartitions.contains(partition)) {
                snapshotKeys.saw(taskId, partition, rowKeys);
            }
        });
    }

    /** Sweeps the partitions whose end this batch holds so far (a truncate or a new snapshot must not be swept by an earlier end). */
    void sweepEnded(RowRemover remover) {
        if (!ended.isEmpty()) {
            sweep(ended, remover);
            ended.clear();
        }
    }

    /**
     * At the end of partitions' snapshots: removes the entities of those partitions' rows that
     * were not written since their snapshot began. One scan of the collection serves every
     * partition ended in the batch (the markers of a snapshot arrive together), so a large
     * collection is read once, not once per partition.
     */
    private void sweep(Map<Integer, Integer> partitionCounts, RowRemover remover) {
        Map<Integer, Integer> sweeping = new HashMap<>();
        partitionCounts.forEach((partition, partitions) -> {
            if (openPartitions().contains(partition)) {
                sweeping.put(partition, partitions);
            } else {
                // Its beginning was not seen (the snapshot began before these notes existed): nothing to compare.
                log.warn("Snapshot end without its beginning in partition {} of task {}: no sweep", partition, taskId);
            }
        });
        // A fresh partition's rows were all written since its snapshot began: nothing to sweep.
        for (Integer partition : List.copyOf(sweeping.keySet())) {
            if (freshPartitions.remove(partition)) {
                sweeping.remove(partition);
                snapshotKeys.end(taskId, partition);
                openPartitions.remove(partition);
                log.info("Snapshot of task {} ended in partition {}, which it began empty: no sweep", taskId, partition);
            }
        }
        if (sweeping.isEmpty()) {
            return;
        }
        long removed = remover.remove("", rowKey -> sweeping.containsKey(partitionOf(rowKey, sweeping)), rows -> {
            Map<Integer, List<String>> byPartition = new HashMap<>();
            rows.forEach(row -> byPartition.computeIfAbsent(partitionOf(row, sweeping), p -> new ArrayList<>()).add(row));
            List<String> unseen = new ArrayList<>();
            byPartition.forEach((partition, keys) -> unseen.addAll(snapshotKeys.unseen(taskId, partition, keys)));
            return unseen;
        });
        sweeping.keySet().forEach(partition -> {
            snapshotKeys.end(taskId, partition);
            openPartitions.remove(partition);
        });
        log.info("Snapshot of task {} ended in partitions {}: {} entities of rows the source no longer holds removed",
                taskId, new TreeSet<>(sweeping.keySet()), removed);
        progress.add("sweptEntities", removed);
    }

    /** The change-topic partition of a row (every ended partition shares the topic's partition count). */
    private int partitionOf(String rowKey, Map<Integer, Integer> sweeping) {
        int partitions = sweeping.values().iterator().next();
        return KeyPartitions.of(RowKey.changeKey(rowKey, qualifiedKeys, onlyTable), partitions);
    }
}
