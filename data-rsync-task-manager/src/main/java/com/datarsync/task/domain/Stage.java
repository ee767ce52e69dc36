package com.datarsync.task.domain;

import com.datarsync.common.stage.StageName;
import java.util.List;

/** The data-path stages a task runs in, as the task manager orders and places them ({@link StageName} names them). */
public enum Stage {
    MILVUS_SYNC(StageName.MILVUS_SYNC),
    DATA_PROCESS(StageName.DATA_PROCESS),
    LOG_LISTENER(StageName.LOG_LISTENER);

    /** Assignment order: the end of the path first, so nothing is produced before its reader exists. */
    public static final List<Stage> END_FIRST = List.of(MILVUS_SYNC, DATA_PROCESS, LOG_LISTENER);
    /** Release order: the source first, so the stages after it can drain. */
    public static final List<Stage> SOURCE_FIRST = List.of(LOG_LISTENER, DATA_PROCESS, MILVUS_SYNC);

    private final StageName name;

    Stage(StageName name) {
        this.name = name;
    }

    public StageName stageName() {
        return name;
    }

    /**
     * Whether several instances of the stage run a task together: the Kafka consumers share the
     * task's partitions through their group. The listener reads one log position, so one
     * instance reads it.
     */
    public boolean sharesPartitions() {
        return this != LOG_LISTENER;
    }

    public String serviceId() {
        return name.serviceId();
    }

    /** The name the stage reports itself under, e.g. {@code log-listener}. */
    public String label() {
        return name.label();
    }
}
