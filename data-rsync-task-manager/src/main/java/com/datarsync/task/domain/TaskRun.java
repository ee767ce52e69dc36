package com.datarsync.task.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;

/**
 * One execution of a task, from a start (manual, schedule, dependency, retry) to its end, with
 * the rows and texts it carried. The figures are summed over every stage process that worked on
 * it: {@code stage_counters} keeps the last report of each (stage, process start), so a stage
 * restart adds its new counts instead of replacing the old ones.
 */
@Entity
@Table(name = "task_run")
public class TaskRun {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "task_id", nullable = false, length = 64)
    private String taskId;

    @Column(nullable = false)
    private long generation;

    @Enumerated(EnumType.STRING)
    @Column(name = "trigger_type", nullable = false, length = 16)
    private RunTrigger trigger;

    @Column(nullable = false, length = 32)
    private String mode;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private RunOutcome outcome;

    @Column(name = "rows_snapshotted", nullable = false)
    private long rowsSnapshotted;

    @Column(name = "rows_inserted", nullable = false)
    private long rowsInserted;

    @Column(name = "rows_updated", nullable = false)
    private long rowsUpdated;

    @Column(name = "rows_deleted", nullable = false)
    private long rowsDeleted;

    @Column(name = "texts_embedded", nullable = false)
    private long textsEmbedded;

    @Column(name = "dead_letters", nullable = false)
    private long deadLetters;

    @Column(name = "stage_counters", nullable = false, columnDefinition = "LONGTEXT")
    private String stageCounters = "{}";

    @Column(name = "error_code", length = 16)
    private String errorCode;

    @Column(name = "error_message", length = 1024)
    private String errorMessage;

    protected TaskRun() {
    }

    public TaskRun(String taskId, long generation, RunTrigger trigger, String mode) {
        this.taskId = taskId;
        this.generation = generation;
        this.trigger = trigger;
        this.mode = mode;
        this.startedAt = Instant.now();
        this.outcome = RunOutcome.RUNNING;
    }

    /** The run's totals, computed from the stage counters (see {@link RunCounters}). */
    public void count(String stageCountersJson, Map<String, Long> totals) {
        this.stageCounters = stageCountersJson;
        this.rowsSnapshotted = totals.getOrDefault(RunCounters.SNAPSHOTTED, 0L);
        this.rowsInserted = totals.getOrDefault(RunCounters.INSERTED, 0L);
        this.rowsUpdated = totals.getOrDefault(RunCounters.UPDATED, 0L);
        this.rowsDeleted = totals.getOrDefault(RunCounters.DELETED, 0L);
        this.textsEmbedded = totals.getOrDefault(RunCounters.EMBEDDED, 0L);
        this.deadLetters = totals.getOrDefault(RunCounters.DEAD_LETTERS, 0L);
    }

    public void end(RunOutcome outcome, String errorCode, String errorMessage) {
        this.outcome = outcome;
        this.endedAt = Instant.now();
        this.errorCode = errorCode;
        this.errorMessage = errorMessage == null || errorMessage.length() <= 1024 ? errorMessage
                : errorMessage.substring(0, 1021) + "...";
    }

    /** The run waited for its upstream tasks: it was started by them, in the end. */
    public void retrigger(RunTrigger trigger) {
        this.trigger = trigger;
    }

    public boolean open() {
        return outcome == RunOutcome.RUNNING;
    }

    public Long getId() {
        return id;
    }

    public String getTaskId() {
        return taskId;
    }

    public long getGeneration() {
        return generation;
    }

    public RunTrigger getTrigger() {
        return trigger;
    }

    public String getMode() {
        return mode;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public RunOutcome getOutcome() {
        return outcome;
    }

    public long getRowsSnapshotted() {
        return rowsSnapshotted;
    }

    public long getRowsInserted() {
        return rowsInserted;
    }

    public long getRowsUpdated() {
        return rowsUpdated;
    }

    public long getRowsDeleted() {
        return rowsDeleted;
    }

    public long getTextsEmbedded() {
        return textsEmbedded;
    }

    public long getDeadLetters() {
        return deadLetters;
    }

    public String getStageCounters() {
        return stageCounters;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }
}
