package com.datarsync.common.stage;

import com.datarsync.common.task.SyncTaskDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Keeps the book of a stage's tasks (their running work, definition and progress), so a stage
 * only says how a task's work is launched. A shutdown stops every task's work, letting it flush;
 * the task manager assigns the tasks again when the service is back.
 */
public abstract class AbstractTaskStage implements TaskStage {

    /** One task's running work in a stage. */
    public interface Runner {
        /** Stops the work after flushing what it has done; waits for it. */
        void stop();
    }

    private final Map<String, Runner> runners = new ConcurrentHashMap<>();
    private final Map<String, TaskProgress> progress = new ConcurrentHashMap<>();
    private MeterRegistry meterRegistry;

    /** Where each task's meters go ({@link StageMetrics}); without it a stage records none. */
    @Autowired(required = false)
    public void setMeterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
    }

    /**
     * Starts the task's work and returns it, or returns null after marking {@code progress}
     * failed. Throwing instead registers nothing: the start is refused.
     */
    protected abstract Runner launch(SyncTaskDefinition definition, TaskProgress progress);

    @Override
    public synchronized TaskProgress start(SyncTaskDefinition definition, long generation) {
        // An ended task started again: its earlier meters give way to the new run's.
        Optional.ofNullable(progress.get(definition.id())).ifPresent(old -> old.metrics().close());
        TaskProgress taskProgress = new TaskProgress(definition.id(), name(), generation, meterRegistry);
        Runner runner;
        try {
            runner = launch(definition, taskProgress);
        } catch (RuntimeException refused) {
            taskProgress.metrics().close();
            throw refused;
        }
        progress.put(definition.id(), taskProgress);
        if (runner != null) {
            runners.put(definition.id(), runner);
        }
        return taskProgress;
    }

    @Override
    public synchronized void stop(String taskId) {
        Runner runner = runners.remove(taskId);
        if (runner != null) {
            runner.stop();
        }
        Optional.ofNullable(progress.get(taskId)).ifPresent(TaskProgress::stopped);
    }

    @Override
    public synchronized void release(String taskId) {
        stop(taskId);
        Optional.ofNullable(progress.remove(taskId)).ifPresent(p -> p.metrics().close());
    }

    @Override
    public Optional<TaskProgress> progress(String taskId) {
        return Optional.ofNullable(progress.get(taskId));
    }

    /** The task's running work in this instance, if it runs here. */
    protected Optional<Runner> runner(String taskId) {
        return Optional.ofNullable(runners.get(taskId));
    }

    @Override
    public Collection<TaskProgress> tasks() {
        return List.copyOf(progress.values());
    }

    @PreDestroy
    void stopAll() {
        List.copyOf(runners.keySet()).forEach(this::stop);
    }
}
