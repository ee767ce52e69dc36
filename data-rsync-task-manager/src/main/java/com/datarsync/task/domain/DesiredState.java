package com.datarsync.task.domain;

/** What an operator (or a schedule) wants of a task; only the task manager writes it. */
public enum DesiredState {
    /** Every stage runs the task. */
    RUNNING,
    /** The stages let go of the task and keep its positions; resume continues the same run. */
    PAUSED,
    /** The stages let go of the task and keep its positions; the run ends. */
    STOPPED
}
