package com.datarsync.common.stage;

import com.datarsync.common.task.SyncTaskDefinition;
import java.util.Optional;

/**
 * One stage of the data path (listener, processor, Milvus writer) as the shared task endpoints
 * drive it. Implementations run each task on their own threads and report through
 * {@link TaskProgress}.
 */
public interface TaskStage {

    /** The service name shown in statuses, for example {@code log-listener}. */
    String name();

    /**
     * Checks what only this stage can check (a model's dimension, an existing collection's
     * schema) and throws {@link com.datarsync.common.error.DataRsyncException} to refuse the
     * task before anything starts. The definition is already validated.
     */
    void check(SyncTaskDefinition definition);

    /** Starts the task; returns at once, the work runs in the background. */
    TaskProgress start(SyncTaskDefinition definition);

    /** Stops the task and waits until its work is flushed; a no-op when it is not running. */
    void stop(String taskId);

    Optional<TaskProgress> progress(String taskId);
}
