package com.datarsync.common.stage;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * The use cases behind every stage's task endpoints: validate, let the stage check, start and
 * remember; stop and forget; resume what was running after a restart.
 */
public class TaskStageService {

    private static final Logger log = LoggerFactory.getLogger(TaskStageService.class);

    private final TaskStage stage;
    private final RunningTaskStore store;

    public TaskStageService(TaskStage stage, RunningTaskStore store) {
        this.stage = stage;
        this.store = store;
    }

    public TaskStatus start(String definitionJson) {
        SyncTaskDefinition definition = SyncTaskDefinitions.parse(definitionJson);
        stage.progress(definition.id()).ifPresent(p -> {
            if (p.state() == TaskState.RUNNING || p.state() == TaskState.STARTING) {
                throw new DataRsyncException(ErrorCode.CONFLICT, "Task '" + definition.id() + "' is already running in "
                        + stage.name() + "; stop it first", Map.of("taskId", definition.id()), null);
            }
        });
        stage.check(definition);
        TaskProgress progress = stage.start(definition);
        store.save(definition);
        return progress.snapshot();
    }

    public TaskStatus stop(String taskId) {
        TaskProgress progress = stage.progress(taskId).orElseThrow(() -> notFound(taskId));
        stage.stop(taskId);
        store.remove(taskId);
        return progress.snapshot();
    }

    public TaskStatus status(String taskId) {
        return stage.progress(taskId).map(TaskProgress::snapshot).orElseThrow(() -> notFound(taskId));
    }

    private DataRsyncException notFound(String taskId) {
        return new DataRsyncException(ErrorCode.NOT_FOUND, "No task '" + taskId + "' in " + stage.name(),
                Map.of("taskId", String.valueOf(taskId)), null);
    }

    /** Resumes the remembered tasks once the service is up (offsets tell each where to go on). */
    @EventListener(ApplicationReadyEvent.class)
    public void resume() {
        for (String json : store.definitions()) {
            try {
                SyncTaskDefinition definition = SyncTaskDefinitions.parse(json);
                if (stage.progress(definition.id()).isEmpty()) {
                    log.info("Resuming task {} in {}", definition.id(), stage.name());
                    stage.start(definition);
                }
            } catch (RuntimeException e) {
                log.error("Cannot resume a stored task in {}: {}", stage.name(), e.getMessage());
            }
        }
    }
}
