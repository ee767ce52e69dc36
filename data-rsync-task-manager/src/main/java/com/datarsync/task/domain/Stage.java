package com.datarsync.task.domain;

import java.util.List;

/** The data-path stages a task runs in, by their service name in the registry. */
public enum Stage {
    MILVUS_SYNC("data-rsync-milvus-sync", "milvus-sync"),
    DATA_PROCESS("data-rsync-data-process", "data-process"),
    LOG_LISTENER("data-rsync-log-listener", "log-listener");

    /** Assignment order: the end of the path first, so nothing is produced before its reader exists. */
    public static final List<Stage> END_FIRST = List.of(MILVUS_SYNC, DATA_PROCESS, LOG_LISTENER);
    /** Release order: the source first, so the stages after it can drain. */
    public static final List<Stage> SOURCE_FIRST = List.of(LOG_LISTENER, DATA_PROCESS, MILVUS_SYNC);

    private final String serviceId;
    private final String label;

    Stage(String serviceId, String label) {
        this.serviceId = serviceId;
        this.label = label;
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
        return serviceId;
    }

    /** The name the stage reports itself under, e.g. {@code log-listener}. */
    public String label() {
        return label;
    }
}
