package com.datarsync.task.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One line of a run's execution log: what an operator needs to follow the run. */
@Entity
@Table(name = "task_run_log")
public class TaskRunLog {

    public enum Level { INFO, WARN, ERROR }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "run_id", nullable = false)
    private long runId;

    @Column(name = "task_id", nullable = false, length = 64)
    private String taskId;

    @Column(nullable = false)
    private Instant at;

    @Column(nullable = false, length = 8)
    private String level;

    @Column(nullable = false, length = 2048)
    private String message;

    protected TaskRunLog() {
    }

    public TaskRunLog(long runId, String taskId, Level level, String message) {
        this.runId = runId;
        this.taskId = taskId;
        this.at = Instant.now();
        this.level = level.name();
        this.message = message.length() <= 2048 ? message : message.substring(0, 2045) + "...";
    }

    public Long getId() {
        return id;
    }

    public long getRunId() {
        return runId;
    }

    public Instant getAt() {
        return at;
    }

    public String getLevel() {
        return level;
    }

    public String getMessage() {
        return message;
    }
}
