package com.datarsync.task.domain;

public enum RunOutcome {
    RUNNING, SUCCEEDED, FAILED, STOPPED
}
