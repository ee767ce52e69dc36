package com.datarsync.task.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.FieldViolation;
import com.datarsync.common.task.InvalidTaskDefinitionException;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.datarsync.task.domain.DesiredState;
import com.datarsync.task.domain.RunOutcome;
import com.datarsync.task.domain.RunTrigger;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import com.datarsync.task.domain.TaskLifecycle.Action;
import com.datarsync.task.domain.TaskLifecycle.RunChange;
import com.datarsync.task.domain.TaskLifecycle.Transition;
import com.datarsync.task.domain.TaskRun;
import com.datarsync.task.domain.TaskRunLog;
import com.datarsync.task.infra.DeadLetterStore;
import com.datarsync.task.infra.KafkaTaskTopics;
import com.datarsync.task.infra.StageClient;
import com.datarsync.task.infra.SyncTaskRepository;
import com.datarsync.task.infra.TaskLocks;
import com.datarsync.task.infra.TaskRunLogRepository;
import com.datarsync.task.infra.TaskRunRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The use cases of the task API: create, update and delete tasks, and the actions (start, stop,
 * pause, resume, restart). Each acts under the task's lock and then reconciles the task at once,
 * so the answer already shows the stages' reaction.
 */
@Service
public class TaskCatalog {

    private static final Logger log = LoggerFactory.getLogger(TaskCatalog.class);
    /** How long an API call waits for another one acting on the same task. */
    private static final long LOCK_WAIT_MS = 15_000;

    private final SyncTaskRepository tasks;
    private final TaskRunRepository runRows;
    private final TaskRunLogRepository logRows;
    private final RunBook runs;
    private final StageClient stages;
    private final TaskLocks locks;
    private final TaskSupervisor supervisor;
    private final KafkaTaskTopics topics;
    private final DeadLetterStore deadLetters;
    private final TransactionTemplate transaction;

    private final com.datarsync.task.infra.TaskVerificationRepository verificationRows;
    private final TaskIntake intake;

    public TaskCatalog(SyncTaskRepository tasks, TaskRunRepository runRows, TaskRunLogRepository logRows, RunBook runs,
            StageClient stages, TaskLocks locks, TaskSupervisor supervisor, KafkaTaskTopics topics,
            DeadLetterStore deadLetters, TransactionTemplate transaction,
            com.datarsync.task.infra.TaskVerificationRepository verificationRows, TaskIntake intake) {
        this.intake = intake;
        this.verificationRows = verificationRows;
        this.deadLetters = deadLetters;
        this.tasks = tasks;
        this.runRows = runRows;
        this.logRows = logRows;
        this.runs = runs;
        this.stages = stages;
        this.locks = locks;
        this.supervisor = supervisor;
        this.topics = topics;
        this.transaction = transaction;
    }

    public SyncTask get(String id) {
        return tasks.findById(id).orElseThrow(() -> new DataRsyncException(ErrorCode.NOT_FOUND, "No task '" + id + "'",
                Map.of("taskId", String.valueOf(id)), null));
    }

    public SyncTask create(TaskRequest request) {
        SyncTaskDefinition definition = intake.definitionOf(request);
        String id = definition.id();
        return locks.withTask(id, LOCK_WAIT_MS, () -> {
            if (tasks.existsById(id)) {
                throw new DataRsyncException(ErrorCode.CONFLICT, "Task '" + id + "' exists; update it instead",
                        Map.of("taskId", id), null);
            }
            SyncTask task = new SyncTask(id, definition);
            intake.describe(task, request, id);
            SyncTask saved = tasks.save(task);
            log.info("Task {} created", id);
            return saved;
        });
    }

    /**
     * Checks a definition as creating and starting it would, creating nothing: parsed and resolved
     * against its data source (400 naming each field), the id not taken (409), then checked by
     * every stage (the model and dimension, an existing collection's schema, the source's
     * prerequisites): the first refusal is the answer. Returns the definition as it would be
     * saved (kind and database copied from the source).
     */
    public SyncTaskDefinition validate(TaskRequest request) {
        SyncTaskDefinition definition = intake.definitionOf(request);
        if (tasks.existsById(definition.id())) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Task '" + definition.id() + "' exists; pick another id",
                    Map.of("field", "definition.id", "taskId", definition.id()), null);
        }
        validateEverywhere(SyncTaskDefinitions.toJson(definition));
        return definition;
    }

    /**
     * Changes a task's description and, when given, its definition. A new definition means a new
     * generation: a running task's stages that use what changed restart under it (the others
     * adopt it). A change that cannot be applied safely is refused with the reason.
     */
    public SyncTask update(String id, TaskRequest request) {
        return locks.withTask(id, LOCK_WAIT_MS, () -> {
            SyncTask task = get(id);
            if (request.definition() != null) {
                SyncTaskDefinition next = intake.definitionOf(request);
                if (!next.id().equals(id)) {
                    throw TaskIntake.invalid("definition.id", "the id of a task cannot change (it names its topics, offsets "
                            + "and slot); create a new task");
                }
                SyncTaskDefinition current = SyncTaskDefinitions.parse(task.getDefinitionJson());
                if (!next.equals(current)) {
                    if (task.getState() != SyncTaskState.CREATED) {
                        refuseUnsafeChange(current, next);
                    }
                    if (task.getDesiredState() == DesiredState.RUNNING) {
                        validateEverywhere(SyncTaskDefinitions.toJson(next));
                    }
                    task.redefine(next);
                    runs.open(id).ifPresent(run -> runs.log(run, TaskRunLog.Level.INFO,
                            "Definition changed: generation " + task.getGeneration()));
                }
            }
            intake.describe(task, request, task.getName());
            return supervisor.reconcileNow(tasks.save(task));
        });
    }

    /**
     * Starts a task (a new run), or resumes a paused one in its open run; a task that already runs
     * is left as it is. Refused (409) where {@link TaskLifecycle} says so.
     */
    public SyncTask start(String id) {
        return run(id, Action.START);
    }

    public SyncTask stop(String id) {
        return letGo(id, Action.STOP, "Stop requested");
    }

    public SyncTask pause(String id) {
        return letGo(id, Action.PAUSE, "Pause requested");
    }

    /** Resumes a paused task in the same run; a task that is not paused is refused (start it). */
    public SyncTask resume(String id) {
        return run(id, Action.RESUME);
    }

    private SyncTask run(String id, Action action) {
        return locks.withTask(id, LOCK_WAIT_MS, () -> {
            SyncTask task = get(id);
            Transition transition = allowed(task, action);
            if (transition.noOp()) {
                return supervisor.reconcileNow(task);
            }
            // Every stage checks the definition first, creating nothing; only then is anything created.
            validateEverywhere(task.getDefinitionJson());
            boolean lastFailed = runs.latest(id).map(r -> r.getOutcome() == RunOutcome.FAILED).orElse(false);
            boolean resumed = transition.run() == RunChange.CONTINUE && runs.open(id).isPresent();
            task.want(transition.desired());
            supervisor.admit(task);
            SyncTask saved = tasks.save(task);
            if (resumed) {
                runs.open(id).ifPresent(open -> runs.log(open, TaskRunLog.Level.INFO, "Resumed"));
            } else {
                runs.start(saved, lastFailed ? RunTrigger.RETRY : RunTrigger.MANUAL, saved.mode().name(), "started");
            }
            return supervisor.reconcileNow(saved);
        });
    }

    /**
     * Every stage restarts its work (a new generation), in a new run; also the way out of FAILED.
     * The stages let go of the task first: a stage given a new generation of an unchanged
     * definition would adopt it and keep running, and a restart must reconnect (for instance
     * with a data source's new password).
     */
    public SyncTask restart(String id) {
        return locks.withTask(id, LOCK_WAIT_MS, () -> {
            SyncTask task = get(id);
            Transition transition = allowed(task, Action.RESTART);
            validateEverywhere(task.getDefinitionJson());
            releaseEverywhere(id);
            boolean lastFailed = runs.latest(id).map(r -> r.getOutcome() == RunOutcome.FAILED).orElse(false);
            task.bumpGeneration();
            task.want(transition.desired());
            supervisor.admit(task);
            SyncTask saved = tasks.save(task);
            runs.start(saved, lastFailed ? RunTrigger.RETRY : RunTrigger.MANUAL, saved.mode().name(), "restarted");
            return supervisor.reconcileNow(saved);
        });
    }

    /**
     * Reads the tables again from scratch: the listener lets go of the task, its offsets (and for
     * PostgreSQL its slot) are removed, and it snapshots again under a new generation, in a new
     * run, once a snapshot slot is free. The other stages adopt the generation and keep running.
     * Rows deleted at the source while nothing captured them stay in Milvus (see docs/tasks.md).
     */
    public SyncTask fullSync(String id, RunTrigger trigger) {
        return locks.withTask(id, LOCK_WAIT_MS, () -> {
            SyncTask task = get(id);
            Transition transition = allowed(task, Action.FULL_SYNC);
            validateEverywhere(task.getDefinitionJson());
            releaseEverywhere(id);
            List<String> removed = new ArrayList<>(stages.cleanUp(Stage.LOG_LISTENER, task.getDefinitionJson(), false));
            topics.skipToEnd(id);
            removed.add("kafka: data-process and milvus-sync consumers moved to the topics' ends");
            task.bumpGeneration();
            task.snapshotCompleted(null);
            task.want(transition.desired());
            supervisor.admit(task);
            SyncTask saved = tasks.save(task);
            TaskRun run = runs.start(saved, trigger, saved.mode().name(), "full sync");
            runs.log(run, TaskRunLog.Level.INFO, "Capture state removed for a new snapshot: " + removed);
            return supervisor.reconcileNow(saved);
        });
    }

    /**
     * Has the task's running listener read tables again beside its stream (an incremental
     * snapshot; the task's {@code source.snapshot.method} must be INCREMENTAL); an empty list
     * reads every table. Returns the tables requested; the open run's log says so.
     */
    public List<String> resnapshot(String id, List<String> tables) {
        allowed(get(id), Action.RESNAPSHOT);
        com.fasterxml.jackson.databind.node.ObjectNode request = com.datarsync.common.event.EventJson.mapper()
                .createObjectNode();
        request.putPOJO("tables", tables == null ? List.of() : tables);
        String body = request.toString();
        JsonNode answer = stages.postToHolder(Stage.LOG_LISTENER, id, "/internal/tasks/" + id + "/resnapshot", body);
        List<String> requested = new ArrayList<>();
        answer.path("tables").forEach(t -> requested.add(t.asText()));
        runs.open(id).ifPresent(run -> runs.log(run, TaskRunLog.Level.INFO, "Re-snapshot of " + requested
                + " requested: read in chunks beside the stream"));
        return requested;
    }

    /**
     * Changes a task's rate limits ({@code limits} of its definition; null lifts them all). A new
     * generation, which a running task's stages adopt without a restart, applying the limits at once.
     */
    public SyncTask changeLimits(String id, SyncTaskDefinition.Limits limits) {
        SyncTaskDefinition.Limits effective = limits == null || limits.isEmpty() ? null : limits;
        return locks.withTask(id, LOCK_WAIT_MS, () -> {
            SyncTask task = get(id);
            SyncTaskDefinition current = SyncTaskDefinitions.parse(task.getDefinitionJson());
            List<FieldViolation> violations = new ArrayList<>();
            SyncTaskDefinitions.checkLimits(effective, current.target(), violations);
            if (!violations.isEmpty()) {
                throw new InvalidTaskDefinitionException(violations);
            }
            SyncTaskDefinition next = current.withLimits(effective);
            if (!next.equals(current)) {
                task.redefine(next);
                runs.open(id).ifPresent(run -> runs.log(run, TaskRunLog.Level.INFO, "Limits changed to "
                        + (effective == null ? "none" : effective.describe()) + ": generation " + task.getGeneration()));
            }
            return supervisor.reconcileNow(tasks.save(task));
        });
    }

    /** Release is a no-op where the task is not held, so every instance of every stage is asked. */
    private void releaseEverywhere(String id) {
        for (Stage stage : Stage.SOURCE_FIRST) {
            stages.instances(stage).forEach(instance -> stages.release(instance, id));
        }
    }

    private SyncTask letGo(String id, Action action, String why) {
        return locks.withTask(id, LOCK_WAIT_MS, () -> {
            SyncTask task = get(id);
            Transition transition = allowed(task, action);
            if (transition.noOp()) {
                return supervisor.reconcileNow(task);
            }
            task.want(transition.desired());
            runs.open(id).ifPresent(run -> runs.log(run, TaskRunLog.Level.INFO, why));
            return supervisor.reconcileNow(tasks.save(task));
        });
    }

    /** What the command does to the task now; a refusal is a 409 that names the state and what to do instead. */
    private static Transition allowed(SyncTask task, Action action) {
        Transition transition = task.decide(action);
        if (transition.refused()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Task '" + task.getId() + "' cannot " + action.path()
                    + ": " + transition.reason(), Map.of("taskId", task.getId(), "state", task.getState().name(),
                    "action", action.path()), null);
        }
        return transition;
    }

    /**
     * Deletes the task and what it created: every stage releases it, the listener removes its
     * offsets, schema history, replication slot and publication, the consumers their groups,
     * Kafka its topics, and Milvus the collection when {@code dropCollection}. A stage that cannot
     * be reached refuses the delete (nothing is removed from the task manager), so it can be
     * repeated once the stage is back.
     */
    public List<String> delete(String id, boolean dropCollection) {
        return locks.withTask(id, LOCK_WAIT_MS, () -> {
            SyncTask task = get(id);
            task.want(DesiredState.STOPPED);
            task = supervisor.reconcileNow(tasks.save(task));
            // The first round releases the stages; the next one sees that none holds the task.
            for (int round = 0; round < 3 && task.getState() == SyncTaskState.STOPPING; round++) {
                task = supervisor.reconcileNow(task);
            }
            if (task.getState() == SyncTaskState.STOPPING) {
                throw new DataRsyncException(ErrorCode.SERVICE_UNAVAILABLE, "Task '" + id + "' could not be released "
                        + "in every stage; nothing was deleted, try again when every stage is up", Map.of("taskId", id), null);
            }
            List<String> removed = new ArrayList<>();
            for (Stage stage : Stage.SOURCE_FIRST) {
                removed.addAll(stages.cleanUp(stage, task.getDefinitionJson(), dropCollection));
            }
            topics.delete(id).forEach(t -> removed.add("kafka: topic " + t));
            deadLetters.deleteTask(id);
            removed.add("redis: dead letters");
            transaction.executeWithoutResult(status -> {
                logRows.deleteByTaskId(id);
                verificationRows.deleteByTaskId(id);
                runRows.deleteByTaskId(id);
                tasks.deleteById(id);
            });
            supervisor.forget(id);
            log.info("Task {} deleted; removed {}", id, removed);
            return removed;
        });
    }

    /** Validates the definition in every stage, end first; the first refusal is the answer. */
    private void validateEverywhere(String definitionJson) {
        for (Stage stage : Stage.END_FIRST) {
            stages.validate(stage, definitionJson);
        }
    }

    /**
     * Refuses a change that would leave the target inconsistent: another model (or provider) for
     * an existing vector field would mix vectors of two models in one field, even at the same
     * dimension, and nothing re-embeds the rows already written.
     */
    private static void refuseUnsafeChange(SyncTaskDefinition current, SyncTaskDefinition next) {
        if (!current.target().collection().equals(next.target().collection())) {
            return;
        }
        for (int i = 0; i < next.target().vectors().size(); i++) {
            SyncTaskDefinition.VectorField field = next.target().vectors().get(i);
            for (SyncTaskDefinition.VectorField old : current.target().vectors()) {
                if (old.name().equals(field.name()) && (!old.embedding().provider().equals(field.embedding().provider())
                        || !old.embedding().model().equals(field.embedding().model()))) {
                    throw new DataRsyncException(ErrorCode.CONFLICT, "target.vectors[" + i + "].embedding.model: "
                            + "field '" + field.name() + "' holds vectors of " + old.embedding().provider() + "/"
                            + old.embedding().model() + "; vectors of another model cannot be mixed into it. Use a "
                            + "new collection, or delete the task with its collection and create it again",
                            Map.of("field", "target.vectors[" + i + "].embedding.model"), null);
                }
            }
        }
    }
}
