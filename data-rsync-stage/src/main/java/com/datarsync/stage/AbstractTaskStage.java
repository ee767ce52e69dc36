package com.datarsync.stage;

import com.datarsync.common.task.SyncTaskDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(AbstractTaskStage.class);

    private final Map<String, Runner> runners = new ConcurrentHashMap<>();
    /** Per task, the kinds of rate limit set for it in {@link TaskRateLimits} by this stage. */
    private final Map<String, Set<String>> limited = new ConcurrentHashMap<>();
    private final Map<String, TaskProgress> progress = new ConcurrentHashMap<>();
    private MeterRegistry meterRegistry;
    private TaskRateLimits rateLimits = new TaskRateLimits();

    /** The process's rate limits (the service's one {@link TaskRateLimits}); a stage made by hand has its own. */
    @Autowired(required = false)
    public void setRateLimits(TaskRateLimits rateLimits) {
        this.rateLimits = rateLimits;
    }

    /** The process's rate limits: work done for a task outside its runner (a verification's preview) obeys them too. */
    protected TaskRateLimits rateLimits() {
        return rateLimits;
    }

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

    /**
     * The rate limits this stage enforces for a task, by kind: the name of the limit in the
     * definition ({@code eventsPerSecond}, {@code embeddingTextsPerSecond.openai}), which is also
     * its {@link TaskRateLimits} kind and, after {@code limit.}, its status counter. None by default.
     */
    protected Map<String, Integer> rateLimits(SyncTaskDefinition.Limits limits) {
        return Map.of();
    }

    /** Sets the task's limits of this stage and lifts the ones it no longer has; the work's next slice obeys them. */
    private void limit(String taskId, SyncTaskDefinition.Limits limits, TaskProgress progress) {
        Map<String, Integer> wanted = rateLimits(limits);
        for (String kind : limited.getOrDefault(taskId, Set.of())) {
            if (!wanted.containsKey(kind)) {
                rateLimits.set(taskId, kind, null);
                progress.set("limit." + kind, 0);
                log.info("Task {} in {}: {} limit lifted", taskId, name(), kind);
            }
        }
        wanted.forEach((kind, rate) -> {
            rateLimits.set(taskId, kind, rate);
            progress.set("limit." + kind, rate);
            progress.metrics().rateLimit(kind, () -> progress.counter("limit." + kind),
                    () -> progress.counter("limitWaitMs"));
            log.info("Task {} in {}: {} limited to {}", taskId, name(), kind, rate);
        });
        if (wanted.isEmpty()) {
            limited.remove(taskId);
        } else {
            limited.put(taskId, Set.copyOf(wanted.keySet()));
        }
    }

    private void unlimit(String taskId) {
        Optional.ofNullable(limited.remove(taskId))
                .ifPresent(kinds -> kinds.forEach(kind -> rateLimits.set(taskId, kind, null)));
        rateLimits.forget(taskId);
    }

    /** Applies a running task's new limits at once (TaskStageService adopts a generation that changes only them). */
    @Override
    public synchronized void applyLimits(String taskId, SyncTaskDefinition.Limits limits) {
        progress(taskId).ifPresent(p -> limit(taskId, limits, p));
    }

    @Override
    public synchronized TaskProgress start(SyncTaskDefinition definition, long generation) {
        // An ended task started again: its earlier meters give way to the new run's.
        Optional.ofNullable(progress.get(definition.id())).ifPresent(old -> old.metrics().close());
        TaskProgress taskProgress = new TaskProgress(definition.id(), name(), generation, meterRegistry, rateLimits);
        Runner runner;
        long began = System.nanoTime();
        try {
            limit(definition.id(), definition.limits(), taskProgress);
            runner = launch(definition, taskProgress);
        } catch (RuntimeException refused) {
            unlimit(definition.id());
            taskProgress.metrics().close();
            throw refused;
        } finally {
            noteIfSlow("Starting", definition.id(), began);
        }
        progress.put(definition.id(), taskProgress);
        if (runner != null) {
            runners.put(definition.id(), runner);
        }
        return taskProgress;
    }

    @Override
    public synchronized void stop(String taskId) {
        // First: work waiting on a limit goes on at once and stops without delay. No rule of a
        // stopped task lingers in Sentinel; a start sets its limits again.
        unlimit(taskId);
        Runner runner = runners.remove(taskId);
        if (runner != null) {
            long began = System.nanoTime();
            runner.stop();
            noteIfSlow("Stopping", taskId, began);
        }
        Optional.ofNullable(progress.get(taskId)).ifPresent(TaskProgress::stopped);
    }

    /** Starts and stops hold this stage's lock, so a slow one delays every other task's: say so. */
    private void noteIfSlow(String what, String taskId, long beganNanos) {
        long ms = (System.nanoTime() - beganNanos) / 1_000_000;
        if (ms >= SLOW_START_OR_STOP_MS) {
            log.warn("{} task {} in {} took {} ms; other tasks' starts and stops here waited meanwhile", what, taskId,
                    name(), ms);
        }
    }

    private static final long SLOW_START_OR_STOP_MS = 5_000;

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
