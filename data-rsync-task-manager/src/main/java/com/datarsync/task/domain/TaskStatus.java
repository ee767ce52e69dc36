package com.datarsync.task.domain;

/** Lifecycle of a sync task. */
public enum TaskStatus {
    CREATED, STARTING, RUNNING, STOPPING, STOPPED, FAILED
}
