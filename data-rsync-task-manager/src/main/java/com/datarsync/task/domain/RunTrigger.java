package com.datarsync.task.domain;

/** Why a run started. */
public enum RunTrigger {
    /** An operator's start, resume-after-stop, restart or full sync. */
    MANUAL,
    /** A cron schedule (XXL-Job or the built-in scheduler). */
    SCHEDULE,
    /** An upstream task reached what this one waits for. */
    DEPENDENCY,
    /** An operator's start of a task whose last run failed. */
    RETRY
}
