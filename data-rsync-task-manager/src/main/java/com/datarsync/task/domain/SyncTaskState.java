package com.datarsync.task.domain;

/**
 * Where a task stands as the supervisor sees it, aggregated over its stages (docs/tasks.md has
 * the state machine).
 */
public enum SyncTaskState {
    /** Created, never started. */
    CREATED,
    /** Desired RUNNING, waiting for the tasks it depends on to complete their snapshot. */
    WAITING,
    /** Desired RUNNING, waiting for a snapshot slot (at most N snapshots run at once). */
    QUEUED,
    /** Assignments sent; not every stage runs it yet. */
    STARTING,
    /** Every stage runs it. */
    RUNNING,
    /** A stage cannot progress (a dependency is unreachable); retried with back-off within the budget. */
    RETRYING,
    /** Desired PAUSED or STOPPED; some stage still holds the task. */
    STOPPING,
    PAUSED,
    STOPPED,
    /** A FULL task whose snapshot was read completely. */
    COMPLETED,
    /** A permanent failure, or retries that outlasted the budget; waits for an operator. */
    FAILED
}
