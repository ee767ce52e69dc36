package com.datarsync.stage;

import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;

import com.datarsync.common.error.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The live state and counters of one task in one stage; read by the status endpoint. */
public final class TaskProgress {

    private final String taskId;
    private final String stage;
    private volatile long generation;
    private final Instant startedAt = Instant.now();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private volatile TaskState state = TaskState.STARTING;
    private volatile ErrorCode errorCode;
    private volatile String message;
    private volatile Instant updatedAt = startedAt;
    private final Set<String> warnings = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

    private final StageMetrics metrics;
    private final TaskRateLimits limits;

    /** Without meters, under limits of its own (none set: nothing waits). */
    public TaskProgress(String taskId, String stage, long generation) {
        this(taskId, stage, generation, null, new TaskRateLimits());
    }

    /**
     * With the task's meters in {@code registry} (none when it is null; see {@link StageMetrics})
     * and the process's rate limits, which the task's work obeys.
     */
    public TaskProgress(String taskId, String stage, long generation, io.micrometer.core.instrument.MeterRegistry registry,
            TaskRateLimits limits) {
        this.taskId = taskId;
        this.stage = stage;
        this.generation = generation;
        this.metrics = registry == null ? StageMetrics.NONE : new StageMetrics(registry, taskId, stage, this);
        this.limits = limits;
    }

    /** The rate limits the task's work obeys (this process's). */
    public TaskRateLimits limits() {
        return limits;
    }

    /** The task's meters in this stage. */
    public StageMetrics metrics() {
        return metrics;
    }

    public void running() {
        set(TaskState.RUNNING, null, null);
    }

    /** Back to RUNNING after a retry went through; a no-op in any other state. */
    public void recovered() {
        if (state == TaskState.RETRYING) {
            set(TaskState.RUNNING, null, null);
        }
    }

    /** Back to RUNNING when the task was RETRYING for this reason only (another cause may still hold). */
    public synchronized void recovered(ErrorCode cause) {
        if (state == TaskState.RETRYING && errorCode == cause) {
            set(TaskState.RUNNING, null, null);
        }
    }

    /**
     * The stage cannot progress for now (a dependency is unreachable) and retries by itself; the
     * task manager shows the reason and decides when retrying has lasted too long.
     */
    public void retrying(ErrorCode code, String why) {
        if (state != TaskState.FAILED && state != TaskState.STOPPED) {
            set(TaskState.RETRYING, code, why);
            metrics.retry();
        }
    }

    /** The task's definition changed in a way this stage does not use: it keeps running under the new generation. */
    public void adopt(long newGeneration) {
        generation = newGeneration;
        updatedAt = Instant.now();
    }

    public long generation() {
        return generation;
    }

    public void completed(String why) {
        set(TaskState.COMPLETED, null, why);
    }

    public void stopped() {
        if (state != TaskState.FAILED) {
            set(TaskState.STOPPED, null, null);
        }
    }

    /** A failure the operator must see: a stable code and a one-line reason, never a trace. */
    public void failed(ErrorCode code, String why) {
        set(TaskState.FAILED, code, why);
    }

    public void add(String counter, long delta) {
        counters.computeIfAbsent(counter, k -> new AtomicLong()).addAndGet(delta);
        updatedAt = Instant.now();
    }

    /** Sets a gauge-like value (for example the source time of the last record written). */
    public void set(String counter, long value) {
        counters.computeIfAbsent(counter, k -> new AtomicLong()).set(value);
        updatedAt = Instant.now();
    }

    public long counter(String counter) {
        AtomicLong value = counters.get(counter);
        return value == null ? 0 : value.get();
    }

    public TaskState state() {
        return state;
    }

    public String taskId() {
        return taskId;
    }

    private void set(TaskState newState, ErrorCode code, String why) {
        state = newState;
        errorCode = code;
        message = why;
        updatedAt = Instant.now();
    }

    /**
     * Reports a condition the task runs on with but an operator must act on (a column a template
     * uses was dropped); the same warning is kept once, at most {@value #MAX_WARNINGS} of them.
     */
    public void warn(String warning) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(warning);
        }
    }

    private static final int MAX_WARNINGS = 20;

    public TaskStatus snapshot() {
        Map<String, Long> values = new TreeMap<>();
        counters.forEach((k, v) -> values.put(k, v.get()));
        return new TaskStatus(taskId, stage, generation, state, errorCode == null ? null : errorCode.code(), message,
                values, startedAt, updatedAt, Instant.now(), warnings.isEmpty() ? null : List.copyOf(warnings));
    }
}
