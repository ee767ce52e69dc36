package com.datarsync.task.service;

import com.datarsync.common.stage.TaskStatus;
import com.datarsync.task.domain.RunCounters;
import com.datarsync.task.domain.RunOutcome;
import com.datarsync.task.domain.RunTrigger;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.TaskRun;
import com.datarsync.task.domain.TaskRunLog;
import com.datarsync.task.infra.TaskRunLogRepository;
import com.datarsync.task.infra.TaskRunRepository;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Runs and their execution logs: opened by a start, counted while they go, ended with an outcome. */
@Service
public class RunBook {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, Long>>> SEGMENTS = new TypeReference<>() {
    };

    private final TaskRunRepository runs;
    private final TaskRunLogRepository logs;

    public RunBook(TaskRunRepository runs, TaskRunLogRepository logs) {
        this.runs = runs;
        this.logs = logs;
    }

    public Optional<TaskRun> open(String taskId) {
        return runs.findFirstByTaskIdAndOutcomeOrderByIdDesc(taskId, RunOutcome.RUNNING);
    }

    public Optional<TaskRun> latest(String taskId) {
        return runs.findFirstByTaskIdOrderByIdDesc(taskId);
    }

    /** Ends any open run of the task (as STOPPED, with the reason) and opens a new one. */
    @Transactional
    public TaskRun start(SyncTask task, RunTrigger trigger, String mode, String why) {
        open(task.getId()).ifPresent(run -> end(run, RunOutcome.STOPPED, null, "Superseded: " + why));
        TaskRun run = runs.save(new TaskRun(task.getId(), task.getGeneration(), trigger, mode));
        log(run, TaskRunLog.Level.INFO, "Run started (" + trigger + ", generation " + task.getGeneration() + "): " + why);
        return run;
    }

    @Transactional
    public void end(TaskRun run, RunOutcome outcome, String errorCode, String message) {
        if (!run.open()) {
            return;
        }
        // Only a failure is an error; any other end keeps its reason in the log.
        boolean failed = outcome == RunOutcome.FAILED;
        run.end(outcome, failed ? errorCode : null, failed ? message : null);
        runs.save(run);
        log(run, outcome == RunOutcome.FAILED ? TaskRunLog.Level.ERROR : TaskRunLog.Level.INFO,
                "Run ended " + outcome + (message == null ? "" : ": " + message));
    }

    /** Keeps the latest counters of each stage process in the run and recomputes its totals. */
    @Transactional
    public void count(TaskRun run, Collection<TaskStatus> statuses) {
        if (statuses.isEmpty()) {
            return;
        }
        Map<String, Map<String, Long>> segments = segments(run);
        boolean changed = false;
        for (TaskStatus status : statuses) {
            if (status.counters() == null || status.startedAt() == null
                    || status.startedAt().isBefore(run.getStartedAt().minusSeconds(1))) {
                // Counted before this run began (a paused or adopted stage keeps its counters):
                // only what happened since the run started belongs to it.
                continue;
            }
            Map<String, Long> counters = new TreeMap<>(status.counters());
            changed |= !counters.equals(segments.put(RunCounters.segment(status), counters));
        }
        if (changed) {
            try {
                run.count(JSON.writeValueAsString(segments), RunCounters.totals(segments));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            runs.save(run);
        }
    }

    @Transactional
    public void retrigger(TaskRun run, RunTrigger trigger) {
        run.retrigger(trigger);
        runs.save(run);
    }

    @Transactional
    public void log(TaskRun run, TaskRunLog.Level level, String message) {
        logs.save(new TaskRunLog(run.getId(), run.getTaskId(), level, message));
    }

    private static Map<String, Map<String, Long>> segments(TaskRun run) {
        try {
            return new TreeMap<>(JSON.readValue(run.getStageCounters(), SEGMENTS));
        } catch (Exception e) {
            return new TreeMap<>();
        }
    }
}
