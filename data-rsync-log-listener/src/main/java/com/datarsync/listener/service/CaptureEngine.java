package com.datarsync.listener.service;

import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.infra.SnapshotNotifications;
import com.datarsync.stage.AbstractTaskStage;
import com.datarsync.stage.TaskProgress;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.pipeline.notification.Notification;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's Debezium embedded engine: its life (start, the connection watch, how it ended, stop).
 * What it captures goes out through {@link ChangeBatchPublisher}; heartbeats are
 * {@link CaptureHeartbeats}'; snapshot requests and notifications {@link SnapshotSignals}'.
 */
final class CaptureEngine implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>,
        AbstractTaskStage.Runner {

    private static final Logger log = LoggerFactory.getLogger(CaptureEngine.class);

    /** Kind of the listener's limit in the task's rate limits: the definition's {@code limits.eventsPerSecond}. */
    static final String EVENTS = ChangeBatchPublisher.EVENTS;

    private final SyncTaskDefinition task;
    private final TaskProgress progress;
    private final ExecutorService thread;
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final SourceConnectionWatch connectionWatch;
    private final ChangeBatchPublisher batches;
    private final CaptureHeartbeats heartbeats;
    private final SnapshotSignals snapshots;
    private final String logicalName;
    private final Consumer<Notification> notifications;
    private volatile boolean stopping;

    CaptureEngine(SyncTaskDefinition task, Properties properties, AcknowledgedPublisher publisher, TaskProgress progress,
            IncrementalSnapshotRequests snapshotRequests) {
        this.task = task;
        this.progress = progress;
        this.logicalName = properties.getProperty("topic.prefix");
        this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "capture-" + task.id()));
        this.batches = new ChangeBatchPublisher(task, publisher, progress, snapshotRequests != null, () -> stopping);
        this.heartbeats = new CaptureHeartbeats(task.id(), progress, batches, () -> stopping);
        this.connectionWatch = new SourceConnectionWatch(logicalName, progress, heartbeats::caughtUp);
        this.snapshots = new SnapshotSignals(task, progress, snapshotRequests, batches, this::engine,
                connectionWatch::streaming, () -> stopping);
        this.notifications = snapshots::notified;
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .notifying(this)
                .using(this::completed)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        progress.running();
                        snapshots.taskStarted();
                    }
                })
                .build();
    }

    /** The engine, once built (the snapshot signals reach it only after the connector's task runs). */
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine() {
        return engine;
    }

    void start() {
        SnapshotNotifications.register(logicalName, notifications);
        thread.execute(() -> {
            // Every line the engine's thread logs names its task (a "task" field in the JSON).
            org.slf4j.MDC.put("task", task.id());
            engine.run();
        });
        connectionWatch.start();
    }

    SyncTaskDefinition definition() {
        return task;
    }

    /** Reads the tables again beside the stream (an incremental snapshot), see {@link SnapshotSignals}. */
    void resnapshot(List<String> tables) {
        snapshots.resnapshot(tables);
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        batches.handleBatch(records, committer);
    }

    private void completed(boolean success, String message, Throwable error) {
        connectionWatch.stop();
        if (stopping) {
            progress.stopped();
            return;
        }
        if (success && task.mode() == SyncTaskDefinition.Mode.FULL) {
            progress.completed("Snapshot complete");
            return;
        }
        CaptureFailures.Classified failure = CaptureFailures.classify(message, error);
        log.error("Capture of task {} stopped: {} {}", task.id(), failure.code().code(), failure.message());
        progress.failed(failure.code(), failure.message());
    }

    /** Closes the engine (which flushes the offsets of acknowledged records) and waits for it. */
    @Override
    public void stop() {
        stopping = true;
        SnapshotNotifications.unregister(logicalName, notifications);
        connectionWatch.stop();
        heartbeats.stop();
        try {
            engine.close();
        } catch (IllegalStateException e) {
            // An engine that failed has shut itself down already; releasing its task is no error.
            log.debug("Capture of task {} was already shut down", task.id());
        } catch (IOException e) {
            log.warn("Closing the capture of task {} failed: {}", task.id(), e.getMessage());
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
