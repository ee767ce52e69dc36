package com.datarsync.task.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.task.domain.DesiredState;
import com.datarsync.task.domain.RunTrigger;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import com.datarsync.task.domain.TaskRunLog;
import com.datarsync.task.infra.SyncTaskRepository;
import com.datarsync.task.infra.TaskLocks;
import com.datarsync.task.infra.TaskManagerSettings;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Fires the tasks' cron schedules (a full sync) when no XXL-Job admin is configured. Only the
 * leading task manager fires, each task under its lock, so a schedule fires once. Times are UTC.
 * A fire that finds the previous full sync still reading its snapshot is skipped (and logged);
 * a paused task is not fired.
 */
@Component
public class BuiltInScheduler {

    private static final Logger log = LoggerFactory.getLogger(BuiltInScheduler.class);
    private static final Set<SyncTaskState> BUSY = Set.of(SyncTaskState.QUEUED, SyncTaskState.WAITING,
            SyncTaskState.STARTING);

    private final SyncTaskRepository tasks;
    private final TaskCatalog catalog;
    private final TaskSupervisor supervisor;
    private final TaskLocks locks;
    private final RunBook runs;
    private final TaskManagerSettings settings;

    public BuiltInScheduler(SyncTaskRepository tasks, TaskCatalog catalog, TaskSupervisor supervisor, TaskLocks locks,
            RunBook runs, TaskManagerSettings settings) {
        this.tasks = tasks;
        this.catalog = catalog;
        this.supervisor = supervisor;
        this.locks = locks;
        this.runs = runs;
        this.settings = settings;
    }

    @Scheduled(fixedDelay = 1_000, initialDelay = 5_000)
    public void fireDue() {
        if (settings.xxlJob().adminConfigured() || !supervisor.leading()) {
            return;
        }
        try {
            for (SyncTask task : tasks.findAll()) {
                if (task.getScheduleCron() != null && task.getDesiredState() != DesiredState.PAUSED) {
                    fireIfDue(task.getId());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Schedule round failed: {}", e.toString());
        }
    }

    private void fireIfDue(String id) {
        try {
            locks.withTask(id, 0, () -> {
                SyncTask task = tasks.findById(id).orElse(null);
                if (task == null || task.getScheduleCron() == null) {
                    return null;
                }
                Instant since = task.getLastScheduledAt() != null ? task.getLastScheduledAt() : task.getUpdatedAt();
                ZonedDateTime next = CronExpression.parse(task.getScheduleCron())
                        .next(since.atZone(ZoneOffset.UTC));
                Instant now = Instant.now();
                if (next == null || next.toInstant().isAfter(now)) {
                    return null;
                }
                task.scheduled(now);
                SyncTask saved = tasks.save(task);
                if (saved.getDesiredState() == DesiredState.RUNNING
                        && (BUSY.contains(saved.getState()) || saved.needsSnapshot())) {
                    runs.open(id).ifPresent(run -> runs.log(run, TaskRunLog.Level.WARN, "Schedule '"
                            + saved.getScheduleCron() + "' fired while the previous full sync still runs; skipped"));
                    return null;
                }
                log.info("Schedule '{}' fires a full sync of task {}", saved.getScheduleCron(), id);
                catalog.fullSync(id, RunTrigger.SCHEDULE);
                return null;
            });
        } catch (DataRsyncException e) {
            log.warn("Schedule of task {} did not fire: {} {}", id, e.errorCode().code(), e.getMessage());
        }
    }
}
