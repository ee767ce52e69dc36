package com.datarsync.task.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.web.Paging;
import com.datarsync.task.domain.DesiredState;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import com.datarsync.task.domain.TaskRun;
import com.datarsync.task.domain.TaskRunLog;
import com.datarsync.task.infra.SyncTaskRepository;
import com.datarsync.task.infra.TaskRunLogRepository;
import com.datarsync.task.infra.TaskRunRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;

/** What the task API reads besides a task itself: its runs and their logs, and the snapshot queue. */
@Service
public class TaskQueries {

    /** A task in the snapshot queue: its position (1 first), 0 while it waits for its upstream tasks. */
    public record QueuedTask(int position, SyncTask task) {
    }

    private final SyncTaskRepository tasks;
    private final TaskRunRepository runRows;
    private final TaskRunLogRepository logRows;

    public TaskQueries(SyncTaskRepository tasks, TaskRunRepository runRows, TaskRunLogRepository logRows) {
        this.tasks = tasks;
        this.runRows = runRows;
        this.logRows = logRows;
    }

    /** The tasks waiting for a snapshot slot in the order they will take one, then those waiting for upstreams. */
    public List<QueuedTask> queue() {
        List<SyncTask> all = tasks.findAll();
        Set<String> needing = new HashSet<>();
        all.stream().filter(t -> t.getDesiredState() == DesiredState.RUNNING && t.needsSnapshot())
                .forEach(t -> needing.add(t.getId()));
        Map<String, SyncTask> byId = new HashMap<>();
        all.forEach(t -> byId.put(t.getId(), t));
        List<QueuedTask> out = new ArrayList<>();
        List<String> queued = SnapshotGate.queue(all, needing);
        for (int i = 0; i < queued.size(); i++) {
            out.add(new QueuedTask(i + 1, byId.get(queued.get(i))));
        }
        all.stream().filter(t -> t.getState() == SyncTaskState.WAITING).forEach(t -> out.add(new QueuedTask(0, t)));
        return out;
    }

    public List<TaskRun> runs(String id, int page, int size) {
        if (!tasks.existsById(id)) {
            throw new DataRsyncException(ErrorCode.NOT_FOUND, "No task '" + id + "'", Map.of("taskId", id), null);
        }
        Paging.Page p = Paging.of(page, size, 200);
        return runRows.findByTaskIdOrderByIdDesc(id, PageRequest.of(p.page(), p.size())).getContent();
    }

    public List<TaskRunLog> runLog(String id, long runId) {
        TaskRun run = runRows.findById(runId).filter(r -> r.getTaskId().equals(id)).orElseThrow(() ->
                new DataRsyncException(ErrorCode.NOT_FOUND, "Task '" + id + "' has no run " + runId,
                        Map.of("taskId", id, "runId", runId), null));
        return logRows.findByRunIdOrderByIdAsc(run.getId());
    }
}
