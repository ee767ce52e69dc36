package com.datarsync.task.service;

import com.datarsync.common.stage.TaskStatus;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Every task's meters as the leading task manager sees them, tagged {@code task}; registered when
 * the supervisor first sees a task and removed when the task is deleted (docs/monitoring.md):
 *
 * <ul>
 *   <li>{@code datarsync_task_state{state}}: 1 for the task's state, 0 for the others;</li>
 *   <li>{@code datarsync_task_lag_milliseconds}: from the source's commit of the newest change
 *       Milvus has acknowledged for the task (heartbeats included) to now; absent until
 *       milvus-sync has finished one.</li>
 * </ul>
 */
@Component
public class TaskMeters {

    private final MeterRegistry registry;
    private final Map<String, Observed> tasks = new ConcurrentHashMap<>();

    public TaskMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** What the supervisor saw of one task this round. */
    private static final class Observed {
        volatile SyncTaskState state;
        volatile long watermarkMs;
        final List<Meter> meters = new ArrayList<>();
    }

    /** One supervision round: the tasks that exist, and the statuses each stage reports. */
    void observe(Collection<SyncTask> all, Map<String, Map<Stage, TaskStatus>> statuses) {
        Set<String> present = new HashSet<>();
        for (SyncTask task : all) {
            present.add(task.getId());
            Observed observed = tasks.computeIfAbsent(task.getId(), this::register);
            observed.state = task.getState();
            TaskStatus milvus = statuses.getOrDefault(task.getId(), Map.of()).get(Stage.MILVUS_SYNC);
            Long watermark = milvus == null || milvus.counters() == null ? null
                    : milvus.counters().get("sourceWatermarkMs");
            if (watermark != null && watermark > 0) {
                observed.watermarkMs = watermark;
            }
        }
        List.copyOf(tasks.keySet()).stream().filter(id -> !present.contains(id)).forEach(this::forget);
    }

    /** Removes a deleted task's meters. */
    public void forget(String taskId) {
        Observed observed = tasks.remove(taskId);
        if (observed != null) {
            observed.meters.forEach(registry::remove);
        }
    }

    private Observed register(String taskId) {
        Observed observed = new Observed();
        for (SyncTaskState state : SyncTaskState.values()) {
            observed.meters.add(Gauge.builder("datarsync.task.state", observed, o -> o.state == state ? 1 : 0)
                    .description("1 for the state the task is in").tags("task", taskId, "state", state.name())
                    .register(registry));
        }
        observed.meters.add(Gauge.builder("datarsync.task.lag", observed,
                o -> o.watermarkMs > 0 ? Math.max(0, System.currentTimeMillis() - o.watermarkMs) : Double.NaN)
                .description("From the source's commit of the newest change in Milvus (or heartbeat) to now")
                .baseUnit("milliseconds").tags("task", taskId).register(registry));
        return observed;
    }
}
