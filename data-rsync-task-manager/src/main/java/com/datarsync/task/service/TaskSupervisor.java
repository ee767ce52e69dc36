package com.datarsync.task.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;
import com.datarsync.task.domain.InstanceStatuses;
import com.datarsync.task.domain.Reconciler;
import com.datarsync.task.domain.RunOutcome;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.domain.StagePlacement;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import com.datarsync.task.domain.TaskRun;
import com.datarsync.task.domain.TaskRunLog;
import com.datarsync.task.infra.StageClient;
import com.datarsync.task.infra.SyncTaskRepository;
import com.datarsync.task.infra.TaskLocks;
import com.datarsync.task.infra.TaskManagerSettings;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Keeps every task's stages in line with its desired state. One task-manager instance leads (it
 * holds the leadership lock) and reconciles all tasks on a fixed interval; any instance reconciles
 * a task at once after an API call changed it. Either way the task's own lock is held, so two
 * instances never act on one task together. The rules live in {@link Reconciler}; this class
 * gathers what the stages report and carries the plan out.
 */
@Service
public class TaskSupervisor {

    private static final Logger log = LoggerFactory.getLogger(TaskSupervisor.class);

    private final SyncTaskRepository tasks;
    private final StageClient stages;
    private final TaskLocks locks;
    private final RunBook runs;
    private final TaskManagerSettings settings;
    private final Reconciler.Policy policy;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "task-supervisor"));
    private volatile boolean leading;
    /** Each task as last saved here, to answer its status while the metadata database is away. */
    private final Map<String, SyncTask> lastKnown = new java.util.concurrent.ConcurrentHashMap<>();

    private final org.springframework.context.ApplicationEventPublisher events;

    private final TaskMeters meters;

    public TaskSupervisor(SyncTaskRepository tasks, StageClient stages, TaskLocks locks, RunBook runs,
            TaskManagerSettings settings, org.springframework.context.ApplicationEventPublisher events,
            TaskMeters meters) {
        this.events = events;
        this.meters = meters;
        this.tasks = tasks;
        this.stages = stages;
        this.locks = locks;
        this.runs = runs;
        this.settings = settings;
        this.policy = new Reconciler.Policy(settings.initialBackoff(), settings.maxBackoff(), settings.retryBudget(),
                settings.stableAfter());
    }

    @EventListener(ApplicationReadyEvent.class)
    public void begin() {
        long every = settings.reconcileInterval().toMillis();
        loop.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void end() {
        try {
            // Hand leadership over at once instead of letting the lock expire: the lock belongs to
            // the loop thread, so it is released there.
            loop.submit(() -> {
                RLock leadership = locks.leadership();
                if (leadership.isHeldByCurrentThread()) {
                    leadership.unlock();
                    log.info("Leadership released on shutdown");
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Could not release leadership on shutdown: {}", e.toString());
        }
        leading = false;
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this instance leads (runs the periodic reconciliation and the scheduler). */
    public boolean leading() {
        return leading;
    }

    private void tick() {
        try {
            RLock leadership = locks.leadership();
            // The loop thread is the only one that takes this lock, so holding it is per instance.
            boolean nowLeading = leadership.isHeldByCurrentThread() || leadership.tryLock();
            if (nowLeading != leading) {
                log.info(nowLeading ? "This task manager leads: it supervises every task"
                        : "This task manager no longer leads");
                leading = nowLeading;
            }
            if (leading) {
                reconcileAll();
            }
        } catch (RuntimeException e) {
            // Redis or the registry may be away: try again on the next tick.
            log.warn("Supervision round failed: {}", e.toString());
        }
    }

    private void reconcileAll() {
        Map<Stage, Integer> unreachable = new EnumMap<>(Stage.class);
        Map<Stage, List<StageClient.Holdings>> holdings = stages.holdings(unreachable);
        Set<String> known = new HashSet<>();
        // One read of every task per round serves every task's gate; each task is read again under its lock.
        List<SyncTask> all = tasks.findAll();
        for (SyncTask listed : all) {
            String id = listed.getId();
            known.add(id);
            try (org.slf4j.MDC.MDCCloseable taskField = org.slf4j.MDC.putCloseable("task", id)) {
                locks.withTask(id, 0, () -> {
                    tasks.findById(id).ifPresent(task -> reconcile(task, holdings, unreachable, SnapshotGate.of(task, all, settings.maxSnapshots())));
                    return null;
                });
            } catch (DataRsyncException busy) {
                // An API call is acting on this task right now and reconciles it itself.
            } catch (RuntimeException e) {
                log.warn("Reconciling task {} failed: {}", id, e.toString());
            }
        }
        releaseOrphans(holdings, known);
        Map<String, Map<Stage, List<TaskStatus>>> copies = new java.util.HashMap<>();
        holdings.forEach((stage, answered) -> answered.forEach(h -> h.statuses().forEach(s -> copies
                .computeIfAbsent(s.taskId(), id -> new EnumMap<>(Stage.class))
                .computeIfAbsent(stage, x -> new ArrayList<>()).add(s))));
        Map<String, Map<Stage, TaskStatus>> byTask = new java.util.HashMap<>();
        copies.forEach((id, byStage) -> byStage.forEach((stage, list) -> byTask
                .computeIfAbsent(id, x -> new EnumMap<>(Stage.class)).put(stage, InstanceStatuses.merge(list))));
        meters.observe(all.stream().map(t -> lastKnown.getOrDefault(t.getId(), t)).toList(), byTask);
    }

    /**
     * A task an operator (or a schedule) wants to run from here: it queues for a snapshot slot when
     * it needs one, else starts, with an empty retry book. The supervisor is the only writer of a
     * task's observed state; this is where a command's new run leaves FAILED or STOPPED behind.
     */
    public void admit(SyncTask task) {
        task.observe(task.needsSnapshot() ? SyncTaskState.QUEUED : SyncTaskState.STARTING, null, null);
        task.queue(java.time.Instant.now());
        task.retryBook(0, null, null);
    }

    /** Reconciles one task now, with fresh reports from the stages; the caller holds the task's lock. */
    public SyncTask reconcileNow(SyncTask task) {
        Map<Stage, Integer> unreachable = new EnumMap<>(Stage.class);
        return reconcile(task, stages.holdings(unreachable), unreachable, SnapshotGate.of(task, tasks.findAll(), settings.maxSnapshots()));
    }

    /** A task a stage runs that the task manager does not know (deleted while the stage was away). */
    private void releaseOrphans(Map<Stage, List<StageClient.Holdings>> holdings, Set<String> known) {
        holdings.forEach((stage, answered) -> answered.forEach(h -> h.statuses().stream()
                .filter(s -> !known.contains(s.taskId())).forEach(s -> {
                    log.info("Releasing task {} in {} at {}: no such task", s.taskId(), stage.label(), h.instance().uri());
                    try {
                        stages.release(h.instance(), s.taskId());
                    } catch (DataRsyncException e) {
                        log.warn("Could not release task {} in {}: {}", s.taskId(), stage.label(), e.getMessage());
                    }
                })));
    }

    private SyncTask reconcile(SyncTask task, Map<Stage, List<StageClient.Holdings>> holdings,
            Map<Stage, Integer> unreachable, Reconciler.Gate gate) {
        Instant now = Instant.now();
        Map<Stage, Reconciler.Observation> observed = new EnumMap<>(Stage.class);
        // Where each stage's assignment or release goes: the instances holding the task, or the
        // least busy one when none does; and instances of a partition-sharing stage to join in.
        Map<Stage, List<StageClient.Instance>> holder = new EnumMap<>(Stage.class);
        Map<Stage, List<StageClient.Instance>> idle = new EnumMap<>(Stage.class);
        Map<StageClient.Instance, TaskStatus> copyOf = new java.util.HashMap<>();
        for (Stage stage : Stage.values()) {
            Map<StageClient.Instance, List<TaskStatus>> answered = new java.util.LinkedHashMap<>();
            holdings.getOrDefault(stage, List.of()).forEach(h -> answered.put(h.instance(), h.statuses()));
            StagePlacement<StageClient.Instance> placement = StagePlacement.of(stage, task.getId(), answered,
                    unreachable.containsKey(stage));
            placement.surplus().forEach(extra -> stages.release(extra, task.getId()));
            observed.put(stage, placement.observation());
            holder.put(stage, placement.holders());
            idle.put(stage, placement.idle());
            copyOf.putAll(placement.copies());
        }

        Reconciler.Plan plan = Reconciler.decide(task, observed, gate, policy, now);
        Optional<TaskRun> run = runs.open(task.getId());
        List<String> events = new ArrayList<>(plan.events());
        SyncTaskState state = plan.state();
        String code = plan.code();
        String message = plan.message();
        RunOutcome endRun = plan.endRun();

        for (Stage stage : plan.release()) {
            for (StageClient.Instance instance : holder.get(stage)) {
                try {
                    stages.release(instance, task.getId());
                } catch (DataRsyncException e) {
                    events.add("Could not release the task in " + stage.label() + ": " + e.getMessage());
                }
            }
        }
        List<Stage> assign = new ArrayList<>(plan.assign());
        if (plan.state() == SyncTaskState.RUNNING) {
            // The task runs: an instance that came up since (or lost its copy) joins in.
            idle.forEach((stage, instances) -> {
                if (!instances.isEmpty() && !assign.contains(stage)) {
                    holder.put(stage, instances);
                    assign.add(stage);
                }
            });
        }
        Map<StageClient.Instance, TaskStatus> answers = new java.util.HashMap<>();
        for (Stage stage : assign) {
            try {
                for (StageClient.Instance instance : holder.get(stage)) {
                    TaskStatus copy = copyOf.get(instance);
                    if (copy != null && copy.generation() == task.getGeneration() && copy.state().active()) {
                        continue; // this copy already runs the generation; another one needs it
                    }
                    answers.put(instance, stages.assign(instance, task.getId(), task.getGeneration(),
                            task.getDefinitionJson()));
                    events.add("Assigned generation " + task.getGeneration() + " to " + stage.label() + " at "
                            + instance.uri());
                }
            } catch (DataRsyncException e) {
                if (e.errorCode().retriable()) {
                    events.add("Could not assign " + stage.label() + ": " + e.errorCode().code() + " " + e.getMessage());
                    if (state != SyncTaskState.RETRYING) {
                        state = SyncTaskState.RETRYING;
                        code = e.errorCode().code();
                        message = stage.label() + ": " + e.getMessage();
                    }
                } else {
                    // The stage refuses the definition (a schema that changed, a model gone): permanent.
                    state = SyncTaskState.FAILED;
                    code = e.errorCode().code();
                    message = stage.label() + " refused the task: " + e.getMessage();
                    events.add("Failed permanently: " + code + " " + message);
                    endRun = RunOutcome.FAILED;
                    break;
                }
            }
        }

        SyncTaskState before = task.getState();
        if (state == SyncTaskState.STARTING && before == SyncTaskState.RUNNING && !answers.isEmpty()
                && everyCopyRuns(task.getGeneration(), holder, copyOf, answers)) {
            // A new generation every copy adopted without a restart (only its rate limits changed):
            // the task never stopped running.
            state = SyncTaskState.RUNNING;
            code = null;
            message = null;
        }
        task.observe(state, code, message);
        task.retryBook(plan.attempts(), plan.retryingSince(), plan.nextRetryAt());
        if (plan.snapshotCompleted()) {
            task.snapshotCompleted(now);
        }
        // The run's counters first: whoever sees the snapshot completed (a scheduled full sync's
        // job reads the run's rows right then) must find the rows it read already counted.
        run.ifPresent(current -> runs.count(current, observed.values().stream().map(Reconciler.Observation::status)
                .filter(s -> s != null && s.generation() <= task.getGeneration()).toList()));
        SyncTask saved = tasks.save(task);
        if (plan.snapshotCompleted()) {
            // A verification follows every completed snapshot, once its rows reached Milvus.
            this.events.publishEvent(new VerificationService.SnapshotCompleted(saved.getId()));
        }
        lastKnown.put(saved.getId(), saved);
        if (run.isPresent()) {
            TaskRun current = run.get();
            if (before == SyncTaskState.WAITING && state != SyncTaskState.WAITING) {
                runs.retrigger(current, com.datarsync.task.domain.RunTrigger.DEPENDENCY);
                events.add(0, "Upstream snapshots completed: " + String.join(", ", task.getDependsOn()));
            }
            for (String event : events) {
                runs.log(current, level(event), event);
            }
            logNewWarnings(current, observed.values().stream().map(Reconciler.Observation::status)
                    .filter(java.util.Objects::nonNull).toList());
            if (endRun != null) {
                loggedWarnings.remove(current.getId());
                runs.end(current, endRun, endRun == RunOutcome.FAILED ? code : null,
                        endRun == RunOutcome.FAILED ? message : null);
            }
        }
        if (before != state) {
            log.info("Task {} is {}{}", task.getId(), state, message == null ? "" : ": " + code + " " + message);
        }
        return saved;
    }

    /** Whether every stage has copies and each runs this generation, as observed or as it just answered its assignment. */
    private static boolean everyCopyRuns(long generation, Map<Stage, List<StageClient.Instance>> holder,
            Map<StageClient.Instance, TaskStatus> observed, Map<StageClient.Instance, TaskStatus> answers) {
        for (Stage stage : Stage.SOURCE_FIRST) {
            List<StageClient.Instance> instances = holder.getOrDefault(stage, List.of());
            if (instances.isEmpty()) {
                return false;
            }
            for (StageClient.Instance instance : instances) {
                TaskStatus copy = answers.getOrDefault(instance, observed.get(instance));
                if (copy == null || copy.generation() != generation || copy.state() != TaskState.RUNNING) {
                    return false;
                }
            }
        }
        return true;
    }

    private static TaskRunLog.Level level(String event) {
        if (event.startsWith("Failed") || event.startsWith("Gave up")) {
            return TaskRunLog.Level.ERROR;
        }
        return event.startsWith("Retr") || event.startsWith("Could not") ? TaskRunLog.Level.WARN : TaskRunLog.Level.INFO;
    }

    /** Warnings already written to each run's log, so each appears there once; forgotten when the run ends. */
    private final Map<Long, java.util.Set<String>> loggedWarnings = new java.util.concurrent.ConcurrentHashMap<>();

    /** Writes a stage's warning to the run's log the first time it is seen in this run. */
    private void logNewWarnings(TaskRun run, List<TaskStatus> statuses) {
        java.util.Set<String> logged = loggedWarnings.computeIfAbsent(run.getId(),
                id -> java.util.concurrent.ConcurrentHashMap.newKeySet());
        for (TaskStatus status : statuses) {
            for (String line : status.labelledWarnings()) {
                if (logged.add(line)) {
                    runs.log(run, TaskRunLog.Level.WARN, line);
                }
            }
        }
    }

    /** The task as this instance last saved it; empty when it has not seen the task. */
    public Optional<SyncTask> lastKnown(String taskId) {
        return Optional.ofNullable(lastKnown.get(taskId));
    }

    public void forget(String taskId) {
        lastKnown.remove(taskId);
        meters.forget(taskId);
    }

    /**
     * The state the rules give the task for these stage reports, without acting on it: what the
     * status answers while the metadata database (and so the recorded state) is unreachable.
     */
    public Reconciler.Plan preview(SyncTask task, Map<Stage, TaskStatus> statuses) {
        Map<Stage, Reconciler.Observation> observed = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            observed.put(stage, new Reconciler.Observation(stage, true, statuses.get(stage)));
        }
        return Reconciler.decide(task, observed, Reconciler.Gate.OPEN, policy, Instant.now());
    }

    /** The statuses each stage reports for a task, fresh; stages that do not hold it are absent. */
    public Map<Stage, TaskStatus> statuses(String taskId) {
        Map<Stage, TaskStatus> out = new EnumMap<>(Stage.class);
        stages.holdings(new EnumMap<>(Stage.class)).forEach((stage, answered) -> {
            List<TaskStatus> copies = answered.stream().flatMap(h -> h.statuses().stream())
                    .filter(s -> s.taskId().equals(taskId)).toList();
            if (!copies.isEmpty()) {
                out.put(stage, InstanceStatuses.merge(copies));
            }
        });
        return out;
    }
}
