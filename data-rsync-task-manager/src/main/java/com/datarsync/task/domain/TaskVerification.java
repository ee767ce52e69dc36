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

/**
 * One comparison of a task's source with its collection (and the repair of what it found),
 * stored with the run that was open when it ran. The findings are kept as JSON
 * ({@link VerificationReport}).
 */
@Entity
@Table(name = "task_verification")
public class TaskVerification {

    /** How a verification (or its repair) stands. */
    public enum State {
        RUNNING,
        /** The collection holds exactly the source's rows and the sample matched. */
        EQUAL,
        /** Rows are missing, ghosts or stale: the report says which. */
        DIFFERENT,
        /** The comparison could not be made (a service or a server did not answer). */
        FAILED,
        /** A repair sent every row it found. */
        DONE
    }

    /** What started it. */
    public enum Trigger { MANUAL, FULL_SYNC, SCHEDULE }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "task_id", nullable = false, length = 64)
    private String taskId;

    @Column(name = "run_id")
    private Long runId;

    @Enumerated(EnumType.STRING)
    @Column(name = "trigger_type", nullable = false, length = 16)
    private Trigger trigger;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state;

    @Column(name = "sample_size", nullable = false)
    private int sampleSize;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "report_json", columnDefinition = "LONGTEXT")
    private String reportJson;

    @Column(name = "error_code", length = 16)
    private String errorCode;

    @Column(name = "error_message", length = 1024)
    private String errorMessage;

    @Enumerated(EnumType.STRING)
    @Column(name = "repair_state", length = 16)
    private State repairState;

    @Column(name = "repair_started_at")
    private Instant repairStartedAt;

    @Column(name = "repair_ended_at")
    private Instant repairEndedAt;

    @Column(name = "repair_json", columnDefinition = "LONGTEXT")
    private String repairJson;

    protected TaskVerification() {
    }

    public TaskVerification(String taskId, Long runId, Trigger trigger, int sampleSize) {
        this.taskId = taskId;
        this.runId = runId;
        this.trigger = trigger;
        this.sampleSize = sampleSize;
        this.state = State.RUNNING;
        this.startedAt = Instant.now();
    }

    public void finish(boolean equal, String reportJson) {
        this.state = equal ? State.EQUAL : State.DIFFERENT;
        this.reportJson = reportJson;
        this.endedAt = Instant.now();
    }

    public void fail(String errorCode, String message) {
        this.state = State.FAILED;
        this.errorCode = errorCode;
        this.errorMessage = clip(message);
        this.endedAt = Instant.now();
    }

    public void repairStarted() {
        this.repairState = State.RUNNING;
        this.repairStartedAt = Instant.now();
        this.repairEndedAt = null;
        this.repairJson = null;
    }

    public void repairEnded(State outcome, String repairJson) {
        this.repairState = outcome;
        this.repairJson = repairJson;
        this.repairEndedAt = Instant.now();
    }

    private static String clip(String message) {
        return message == null || message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
    }

    public Long getId() {
        return id;
    }

    public String getTaskId() {
        return taskId;
    }

    public Long getRunId() {
        return runId;
    }

    public Trigger getTrigger() {
        return trigger;
    }

    public State getState() {
        return state;
    }

    public int getSampleSize() {
        return sampleSize;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public String getReportJson() {
        return reportJson;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public State getRepairState() {
        return repairState;
    }

    public Instant getRepairStartedAt() {
        return repairStartedAt;
    }

    public Instant getRepairEndedAt() {
        return repairEndedAt;
    }

    public String getRepairJson() {
        return repairJson;
    }
}
