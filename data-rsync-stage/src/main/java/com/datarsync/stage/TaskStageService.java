package com.datarsync.stage;

import com.datarsync.common.stage.Assignment;
import com.datarsync.common.stage.TaskStatus;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of the task manager's protocol, the same in every stage: validate a definition
 * without side effects, take an assignment (task + generation), release it, report every task
 * held, and clean up after a deleted task. A stage holds only what it was assigned since it
 * started; after a restart the task manager assigns its tasks again.
 */
public class TaskStageService {

    private static final Logger log = LoggerFactory.getLogger(TaskStageService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskStage stage;
    private final Map<String, SyncTaskDefinition> assigned = new ConcurrentHashMap<>();

    public TaskStageService(TaskStage stage) {
        this.stage = stage;
    }

    /** Parses, validates and lets the stage check the definition; creates nothing. */
    public SyncTaskDefinition validate(String definitionJson) {
        SyncTaskDefinition definition = SyncTaskDefinitions.parse(definitionJson);
        stage.check(definition);
        return definition;
    }

    /**
     * Runs the task under the given generation. The same generation already running is a no-op
     * (the call is idempotent); an older one than the stage holds is refused; a newer one whose
     * part of the definition this stage uses is unchanged is adopted without a restart; any
     * other change, or a task that ended, restarts the work.
     */
    public synchronized TaskStatus assign(String taskId, String assignmentJson) {
        return assign(taskId, readAssignment(assignmentJson));
    }

    public synchronized TaskStatus assign(String taskId, Assignment assignment) {
        if (assignment.generation() == null || assignment.generation() < 0 || assignment.definition() == null
                || assignment.definition().isNull()) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED,
                    "An assignment carries a generation (>= 0) and a definition", Map.of(), null);
        }
        long generation = assignment.generation();
        SyncTaskDefinition definition = SyncTaskDefinitions.parse(assignment.definition().toString());
        if (!definition.id().equals(taskId)) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The definition's id '" + definition.id()
                    + "' is not the task '" + taskId + "' of the path", Map.of("field", "definition.id"), null);
        }
        TaskProgress current = stage.progress(taskId).orElse(null);
        if (current != null && current.state().active()) {
            if (current.generation() > generation) {
                throw new DataRsyncException(ErrorCode.CONFLICT, stage.name() + " runs task '" + taskId
                        + "' at generation " + current.generation() + ", newer than " + generation,
                        Map.of("taskId", taskId, "generation", current.generation()), null);
            }
            if (current.generation() == generation) {
                return current.snapshot();
            }
            SyncTaskDefinition running = assigned.get(taskId);
            // Rate limits change while the task runs: they never restart it.
            if (running != null && Objects.equals(stage.usedPart(running.withLimits(null)),
                    stage.usedPart(definition.withLimits(null)))) {
                log.info("Task {} in {}: generation {} changes nothing this stage uses but its limits; adopted",
                        taskId, stage.name(), generation);
                current.adopt(generation);
                assigned.put(taskId, definition);
                if (!Objects.equals(running.limits(), definition.limits())) {
                    stage.applyLimits(taskId, definition.limits());
                }
                return current.snapshot();
            }
            log.info("Task {} in {}: restarting for generation {}", taskId, stage.name(), generation);
            stage.release(taskId);
        }
        stage.check(definition);
        TaskProgress progress = stage.start(definition, generation);
        assigned.put(taskId, definition);
        log.info("Task {} assigned to {} at generation {}", taskId, stage.name(), generation);
        return progress.snapshot();
    }

    public synchronized TaskStatus release(String taskId) {
        TaskProgress progress = stage.progress(taskId).orElseThrow(() -> notFound(taskId));
        stage.release(taskId);
        assigned.remove(taskId);
        log.info("Task {} released by {}", taskId, stage.name());
        return progress.snapshot();
    }

    public TaskStatus status(String taskId) {
        return stage.progress(taskId).map(TaskProgress::snapshot).orElseThrow(() -> notFound(taskId));
    }

    public List<TaskStatus> statuses() {
        return stage.tasks().stream().map(TaskProgress::snapshot)
                .sorted(Comparator.comparing(TaskStatus::taskId)).toList();
    }

    /** Removes what the stage created for the task; refused while the task runs here. */
    public synchronized List<String> cleanUp(String definitionJson, boolean dropTarget) {
        SyncTaskDefinition definition = SyncTaskDefinitions.parse(definitionJson);
        if (stage.progress(definition.id()).map(p -> p.state().active()).orElse(false)) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Task '" + definition.id() + "' still runs in "
                    + stage.name() + "; release it first", Map.of("taskId", definition.id()), null);
        }
        List<String> removed = stage.cleanUp(definition, dropTarget);
        log.info("Task {} cleaned up in {}: {}", definition.id(), stage.name(), removed);
        return removed;
    }

    /** What the stage counts of the task now (see {@link TaskStage#measure}). */
    public Map<String, Long> measure(String definitionJson) {
        return stage.measure(SyncTaskDefinitions.parse(definitionJson));
    }

    private static Assignment readAssignment(String json) {
        try {
            return JSON.readValue(json, Assignment.class);
        } catch (Exception e) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The assignment is not JSON", Map.of(), null);
        }
    }

    private DataRsyncException notFound(String taskId) {
        return new DataRsyncException(ErrorCode.NOT_FOUND, "No task '" + taskId + "' in " + stage.name(),
                Map.of("taskId", String.valueOf(taskId)), null);
    }
}
