package com.datarsync.listener.service;

import com.datarsync.common.stage.TaskState;
import com.datarsync.stage.TaskProgress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * When a task's capture sends heartbeats: once it has caught up with the source and no batch went
 * out lately (a batch's changes carry the time themselves), so each stage's lag stays true while
 * the source is quiet. One at a time, on a thread of its own.
 */
final class CaptureHeartbeats {

    /** A heartbeat only after this long without a batch. */
    private static final long HEARTBEAT_AFTER_MS = 1_500;
    /** A change still on its way from the server may be this much older than a caught-up check. */
    private static final long HEARTBEAT_MARGIN_MS = 500;

    private final String taskId;
    private final TaskProgress progress;
    private final ChangeBatchPublisher batches;
    private final BooleanSupplier stopping;
    private final ExecutorService thread;
    private final AtomicBoolean queued = new AtomicBoolean();

    CaptureHeartbeats(String taskId, TaskProgress progress, ChangeBatchPublisher batches, BooleanSupplier stopping) {
        this.taskId = taskId;
        this.progress = progress;
        this.batches = batches;
        this.stopping = stopping;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + taskId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Called when the capture has caught up with the source (connected, nothing queued): unless a
     * batch went out lately, publishes a heartbeat to every partition saying every change
     * committed before {@code caughtUpAt} went ahead of it. Skipped while a batch is being published.
     */
    void caughtUp(long caughtUpAt) {
        if (stopping.getAsBoolean() || progress.state() != TaskState.RUNNING
                || caughtUpAt - batches.lastBatchAt() < HEARTBEAT_AFTER_MS || !queued.compareAndSet(false, true)) {
            return;
        }
        // On its own thread: waiting for Kafka must not hold up the watch's timer, which every task shares.
        try {
            thread.execute(() -> {
                org.slf4j.MDC.put("task", taskId);
                try {
                    batches.publishHeartbeat(caughtUpAt, HEARTBEAT_AFTER_MS, HEARTBEAT_MARGIN_MS);
                } finally {
                    queued.set(false);
                }
            });
        } catch (RejectedExecutionException stopped) {
            queued.set(false);
        }
    }

    void stop() {
        thread.shutdownNow();
    }
}
