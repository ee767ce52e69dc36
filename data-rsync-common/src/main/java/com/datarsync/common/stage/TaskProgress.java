package com.datarsync.common.stage;

import com.datarsync.common.error.ErrorCode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The live state and counters of one task in one stage; read by the status endpoint. */
public final class TaskProgress {

    private final String taskId;
    private final String stage;
    private final Instant startedAt = Instant.now();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private volatile TaskState state = TaskState.STARTING;
    private volatile ErrorCode errorCode;
    private volatile String message;
    private volatile Instant updatedAt = startedAt;

    public TaskProgress(String taskId, String stage) {
        this.taskId = taskId;
        this.stage = stage;
    }

    public void running() {
        set(TaskState.RUNNING, null, null);
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

    public TaskStatus snapshot() {
        Map<String, Long> values = new TreeMap<>();
        counters.forEach((k, v) -> values.put(k, v.get()));
        return new TaskStatus(taskId, stage, state, errorCode == null ? null : errorCode.code(), message, values,
                startedAt, updatedAt);
    }
}
