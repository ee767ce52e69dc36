package com.datarsync.common.stage;

/** Where a task stands in one stage of the data path. */
public enum TaskState {
    STARTING, RUNNING, COMPLETED, FAILED, STOPPED
}
