package com.datarsync.task.service;

import com.datarsync.task.domain.DesiredState;
import com.datarsync.task.domain.Reconciler;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which tasks may start work now: their upstream tasks' snapshots, and the snapshot slots. */
final class SnapshotGate {

    private SnapshotGate() {
    }

    private static final Set<SyncTaskState> SNAPSHOTTING = Set.of(SyncTaskState.STARTING, SyncTaskState.RUNNING,
            SyncTaskState.RETRYING);

    /**
     * What the task waits for before it may start: upstream tasks whose snapshot has not completed,
     * and a snapshot slot (at most {@code max-snapshots} tasks read a snapshot at once; queued
     * tasks take the free slots by priority, then by the time they queued).
     */
    static Reconciler.Gate of(SyncTask task, List<SyncTask> all, int maxSnapshots) {
        Map<String, SyncTask> byId = new java.util.HashMap<>();
        all.forEach(t -> byId.put(t.getId(), t));
        List<String> unmet = task.getDependsOn().stream().filter(id -> byId.get(id) == null
                || byId.get(id).getSnapshotCompletedAt() == null).toList();
        if (!task.needsSnapshot() || SNAPSHOTTING.contains(task.getState())) {
            return new Reconciler.Gate(unmet, true, 0);
        }
        Set<String> needing = new HashSet<>();
        all.stream().filter(t -> t.getDesiredState() == DesiredState.RUNNING && t.needsSnapshot())
                .forEach(t -> needing.add(t.getId()));
        long busy = all.stream().filter(t -> needing.contains(t.getId()) && !t.getId().equals(task.getId())
                && SNAPSHOTTING.contains(t.getState())).count();
        List<String> queue = queue(all, needing);
        int position = queue.indexOf(task.getId()) + 1;
        if (position == 0) {
            position = queue.size() + 1;
        }
        return new Reconciler.Gate(unmet, busy + position <= maxSnapshots, position);
    }

    /** The ids of the tasks queued for a snapshot slot, in the order they get one: priority, then age. */
    static List<String> queue(List<SyncTask> all, Set<String> needing) {
        return all.stream().filter(t -> needing.contains(t.getId()) && t.getState() == SyncTaskState.QUEUED)
                .sorted(Comparator.comparingInt(SyncTask::getPriority).reversed()
                        .thenComparing(t -> t.getQueuedAt() == null ? Instant.MAX : t.getQueuedAt())
                        .thenComparing(SyncTask::getId))
                .map(SyncTask::getId).toList();
    }
}
