package com.datarsync.task.service;

import com.datarsync.common.stage.TaskStatus;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.infra.KafkaTaskTopics;
import com.datarsync.task.web.TaskViews;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/**
 * A task's status for operators: its state and what each stage reports, aggregated into snapshot
 * progress, the rate rows reach Milvus, the end-to-end lag and the records still in flight.
 */
@Service
public class TaskStatusReader {

    /** The window the rate is measured over. */
    private static final long RATE_WINDOW_MS = 30_000;

    private final TaskSupervisor supervisor;
    private final RunBook runs;
    private final KafkaTaskTopics topics;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

    public TaskStatusReader(TaskSupervisor supervisor, RunBook runs, KafkaTaskTopics topics) {
        this.supervisor = supervisor;
        this.runs = runs;
        this.topics = topics;
    }

    private record Sample(long atMs, String segment, long rowsWritten) {
    }

    public TaskViews.TaskStatusView status(SyncTask task) {
        Map<Stage, TaskStatus> statuses = supervisor.statuses(task.getId());
        long now = System.currentTimeMillis();
        TaskStatus listener = statuses.get(Stage.LOG_LISTENER);
        TaskStatus milvus = statuses.get(Stage.MILVUS_SYNC);
        long pending = topics.backlog(task.getId());

        TaskViews.SnapshotProgress snapshot = snapshot(task, listener);
        Double rate = milvus == null ? null : rate(task.getId(), milvus, now);
        Long lag = null;
        if (milvus != null) {
            long lastSourceTs = counter(milvus, "lastSourceTsMs");
            // Nothing in flight means every change read so far is in Milvus: no lag to speak of.
            lag = pending == 0 ? 0L : lastSourceTs > 0 ? Math.max(0, now - lastSourceTs) : null;
        }
        List<TaskStatus> stages = new ArrayList<>();
        for (Stage stage : Stage.SOURCE_FIRST) {
            if (statuses.containsKey(stage)) {
                stages.add(statuses.get(stage));
            }
        }
        TaskViews.Retry retry = task.getRetryingSince() == null ? null
                : new TaskViews.Retry(task.getRetryAttempts(), task.getRetryingSince(), task.getNextRetryAt());
        return new TaskViews.TaskStatusView(task.getId(), task.getDesiredState(), task.getGeneration(), task.getState(),
                task.getStateCode(), task.getStateMessage(), task.getStateSince(), retry, snapshot, rate, lag, pending,
                runs.latest(task.getId()).map(TaskViews.RunView::of).orElse(null), stages);
    }

    private static TaskViews.SnapshotProgress snapshot(SyncTask task, TaskStatus listener) {
        long read = listener == null ? 0 : counter(listener, "snapshotRecords");
        long estimate = listener == null ? 0 : counter(listener, "snapshotRowsEstimate");
        Instant completed = task.getSnapshotCompletedAt();
        double percent;
        if (completed != null) {
            percent = 100.0;
        } else if (estimate > 0) {
            // The estimate comes from table statistics and may be low: stay below 100 until done.
            percent = Math.min(99.9, Math.round(1000.0 * read / estimate) / 10.0);
        } else {
            percent = 0.0;
        }
        return new TaskViews.SnapshotProgress(read, estimate > 0 ? estimate : null, percent, completed);
    }

    /** Rows written to Milvus (upserted or deleted) per second over the last window. */
    private Double rate(String taskId, TaskStatus milvus, long now) {
        long written = counter(milvus, "upsertedRows") + counter(milvus, "deletedRows");
        String segment = milvus.stage() + "@" + milvus.startedAt();
        Deque<Sample> window = samples.computeIfAbsent(taskId, k -> new ArrayDeque<>());
        synchronized (window) {
            // A restarted stage counts from zero again: its old samples say nothing about the rate.
            window.removeIf(s -> !s.segment().equals(segment));
            window.addLast(new Sample(now, segment, written));
            while (window.size() > 2 && window.peekFirst().atMs() < now - RATE_WINDOW_MS) {
                window.removeFirst();
            }
            Sample first = window.peekFirst();
            if (first == null || first.atMs() == now) {
                return 0.0;
            }
            double perSecond = (written - first.rowsWritten()) * 1000.0 / (now - first.atMs());
            return Math.round(perSecond * 10) / 10.0;
        }
    }

    private static long counter(TaskStatus status, String name) {
        Long v = status.counters() == null ? null : status.counters().get(name);
        return v == null ? 0 : v;
    }
}
