package com.datarsync.common.stage;

/**
 * Where a task stands in one stage of the data path. {@code RETRYING}: the stage holds the task
 * but cannot progress (a dependency is unreachable) and retries by itself; it carries the reason.
 */
public enum TaskState {
    STARTING, RUNNING, RETRYING, COMPLETED, FAILED, STOPPED;

    /** The stage is working on the task (or trying to): it must not be assigned again. */
    public boolean active() {
        return this == STARTING || this == RUNNING || this == RETRYING || this == COMPLETED;
    }
}
