package com.datarsync.common.stage;

import java.util.Arrays;
import java.util.Optional;

/**
 * The data-path stages, as both sides of the stage protocol name them: the label a stage reports
 * in its statuses and dead letters, and the service id it registers under in Nacos.
 */
public enum StageName {
    LOG_LISTENER("log-listener", "data-rsync-log-listener"),
    DATA_PROCESS("data-process", "data-rsync-data-process"),
    MILVUS_SYNC("milvus-sync", "data-rsync-milvus-sync");

    private final String label;
    private final String serviceId;

    StageName(String label, String serviceId) {
        this.label = label;
        this.serviceId = serviceId;
    }

    /** How statuses, dead letters and metrics name the stage. */
    public String label() {
        return label;
    }

    /** The service id in the registry. */
    public String serviceId() {
        return serviceId;
    }

    public static Optional<StageName> byLabel(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
    }
}
