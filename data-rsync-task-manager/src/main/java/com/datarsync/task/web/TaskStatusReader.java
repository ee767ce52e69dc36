package com.datarsync.task.web;

import com.datarsync.task.service.TaskCatalog;

import com.datarsync.task.service.TaskSupervisor;

import com.datarsync.task.service.RunBook;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.stage.TaskStatus;
import com.datarsync.task.domain.Reconciler;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.TaskLifecycle;
import com.datarsync.task.domain.SyncTaskState;
import com.datarsync.task.infra.DeadLetterStore;
import com.datarsync.task.infra.KafkaTaskTopics;
import com.datarsync.task.web.TaskViews;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;

/**
 * A task's status for operators: its state and what each stage reports, aggregated into snapshot
 * progress, the rate rows reach Milvus, the end-to-end lag and the records still in flight.
 */
@Service
public class TaskStatusReader {

    /** The window the rate is measured over. */
    private static final long RATE_WINDOW_MS = 30_000;

    private final TaskSupervisor supervisor;
    private final TaskCatalog catalog;
    private final RunBook runs;
    private final KafkaTaskTopics topics;
    private final DeadLetterStore deadLetters;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

    public TaskStatusReader(TaskSupervisor supervisor, TaskCatalog catalog, RunBook runs, KafkaTaskTopics topics,
            DeadLetterStore deadLetters) {
        this.deadLetters = deadLetters;
        this.supervisor = supervisor;
        this.catalog = catalog;
        this.runs = runs;
        this.topics = topics;
    }

    private record Sample(long atMs, String segment, long rowsWritten) {
    }

    /**
     * The task's status. While the metadata database is unreachable (it may be the very outage a
     * task is retrying through) the state is worked out from the stages' reports by the same
     * rules the supervisor applies, and {@code note} says so.
     */
    public TaskViews.TaskStatusView status(String id) {
        SyncTask task;
        try {
            task = catalog.get(id);
        } catch (DataAccessException | TransactionException unavailable) {
            SyncTask known = supervisor.lastKnown(id).orElseThrow(() -> new DataRsyncException(
                    ErrorCode.SERVICE_UNAVAILABLE, "The task manager's database is unreachable: " + firstLine(
                    unavailable.getMessage()), Map.of("taskId", id), null));
            Map<Stage, TaskStatus> statuses = supervisor.statuses(id);
            Reconciler.Plan live = supervisor.preview(known, statuses);
            return view(known, statuses, live.state(), live.code(), live.message(), null,
                    "The task manager's database is unreachable; the state is worked out from the stages' reports");
        }
        Map<Stage, TaskStatus> statuses = supervisor.statuses(task.getId());
        return view(task, statuses, task.getState(), task.getStateCode(), task.getStateMessage(),
                runs.latest(task.getId()).map(TaskViews.RunView::of).orElse(null), null);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private TaskViews.TaskStatusView view(SyncTask task, Map<Stage, TaskStatus> statuses, SyncTaskState state,
            String code, String message, TaskViews.RunView run, String note) {
        long now = System.currentTimeMillis();
        TaskStatus listener = statuses.get(Stage.LOG_LISTENER);
        TaskStatus milvus = statuses.get(Stage.MILVUS_SYNC);
        long pending = topics.backlog(task.getId());

        TaskViews.SnapshotProgress snapshot = snapshot(task, listener);
        Double rate = milvus == null ? null : rate(task.getId(), milvus, now);
        Long lag = null;
        if (milvus != null) {
            long lastSourceTs = counter(milvus, "lastSourceTsMs");
            // Heartbeats carry the source time through every stage while nothing changes, so the
            // newest time milvus-sync finished on every partition is the end-to-end lag.
            long watermark = counter(milvus, "sourceWatermarkMs");
            if (watermark > 0) {
                lag = Math.max(0, now - watermark);
            } else if (pending == 0) {
                // Nothing in flight means every change read so far is in Milvus: no lag to speak of.
                lag = 0L;
            } else if (lastSourceTs > 0) {
                lag = Math.max(0, now - lastSourceTs);
            }
        }
        List<TaskStatus> stages = new ArrayList<>();
        for (Stage stage : Stage.SOURCE_FIRST) {
            if (statuses.containsKey(stage)) {
                stages.add(statuses.get(stage));
            }
        }
        TaskViews.Retry retry = task.getRetryingSince() == null ? null
                : new TaskViews.Retry(task.getRetryAttempts(), task.getRetryingSince(), task.getNextRetryAt());
        return new TaskViews.TaskStatusView(task.getId(), task.getDesiredState(), task.getGeneration(), state, code,
                message, task.getStateSince(), retry, snapshot, rate, lag, pending, run, stages, note,
                deadLetterCounts(task.getId()), warnings(stages), TaskLifecycle.allowedActions(task));
    }

    /** Every stage's warnings, each with the stage's name; null when there are none. */
    private static List<String> warnings(List<TaskStatus> stages) {
        List<String> out = stages.stream().flatMap(s -> s.labelledWarnings().stream()).toList();
        return out.isEmpty() ? null : out;
    }

    private TaskViews.DeadLetterCounts deadLetterCounts(String taskId) {
        try {
            Map<String, Long> counts = deadLetters.counts(taskId, null, null);
            return new TaskViews.DeadLetterCounts(counts.values().stream().mapToLong(Long::longValue).sum(), counts);
        } catch (RuntimeException redisDown) {
            return null;
        }
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
