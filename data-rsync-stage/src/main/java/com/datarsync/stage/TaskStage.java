package com.datarsync.stage;

import com.datarsync.common.task.SyncTaskDefinition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One stage of the data path (listener, processor, Milvus writer) as a worker of the task
 * manager: it runs the tasks it is assigned, each on its own threads, and reports through
 * {@link TaskProgress}. It never starts work on its own.
 */
public interface TaskStage {

    /** The service name shown in statuses, for example {@code log-listener}. */
    String name();

    /**
     * Checks what only this stage can check (a model's dimension, an existing collection's
     * schema) and throws {@link com.datarsync.common.error.DataRsyncException} to refuse the
     * task. Side-effect free: it creates nothing. The definition is already validated.
     */
    void check(SyncTaskDefinition definition);

    /** Starts the task under an assignment generation; returns at once, the work runs in the background. */
    TaskProgress start(SyncTaskDefinition definition, long generation);

    /** Stops the task and waits until its work is flushed; a no-op when it is not running. */
    void stop(String taskId);

    /** Stops the task's work and forgets it: the task is no longer assigned here. */
    void release(String taskId);

    Optional<TaskProgress> progress(String taskId);

    /** Every task this stage holds, running or ended. */
    Collection<TaskProgress> tasks();

    /**
     * The part of a definition this stage's work depends on. A new generation whose part equals
     * the running one is adopted without a restart; any other change restarts the stage's work.
     */
    default Object usedPart(SyncTaskDefinition definition) {
        return definition;
    }

    /**
     * Applies a running task's new rate limits ({@code limits}) at once, without a restart: a
     * generation that changes only them is always adopted. A stage without limits of its own
     * ignores them.
     */
    default void applyLimits(String taskId, SyncTaskDefinition.Limits limits) {
    }

    /**
     * Removes what this stage created for a task that is deleted for good (stored offsets,
     * replication slots, consumer groups, and the target collection only when asked). The task
     * is not running here. Idempotent; returns what it removed, for the operator.
     */
    default List<String> cleanUp(SyncTaskDefinition definition, boolean dropTarget) {
        return List.of();
    }

    /**
     * Counts what this stage can count of a task, for a verification: the source's rows (listener),
     * the collection's entities (Milvus writer). Empty when the stage has nothing to count.
     */
    default Map<String, Long> measure(SyncTaskDefinition definition) {
        return Map.of();
    }
}
