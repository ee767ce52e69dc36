package com.datarsync.monitor.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One line a service wrote (the JSON object of {@code logback-spring.xml}), as the log search
 * answers it: when, which service (without the {@code data-rsync-} prefix), level, logger,
 * thread, the task it is about (if any), the message and a stack trace (if any).
 */
public record LogLine(Instant timestamp, String service, String level, String logger, String thread, String task,
        String message, String stackTrace) {

    private static final String SERVICE_PREFIX = "data-rsync-";
    /** Debezium names its threads' lines by the connector's topic prefix, {@code drs_<task>}. */
    public static final String DEBEZIUM_CONNECTOR_FIELD = "dbz.connectorLogicalName";
    public static final String DEBEZIUM_TASK_PREFIX = "drs_";
    private static final String TIMESTAMP_START = "{\"@timestamp\":\"";

    /** {@code data-rsync-log-listener} and {@code log-listener} name the same service. */
    public static String shortServiceName(String service) {
        return service != null && service.startsWith(SERVICE_PREFIX) ? service.substring(SERVICE_PREFIX.length()) : service;
    }

    /**
     * The time at the start of a raw line, read without parsing the JSON (the encoder writes
     * {@code @timestamp} first), so lines outside a window cost no parse; empty if the line does
     * not start that way.
     */
    public static Optional<Instant> leadingTimestamp(String raw) {
        if (!raw.startsWith(TIMESTAMP_START)) {
            return Optional.empty();
        }
        int end = raw.indexOf('"', TIMESTAMP_START.length());
        if (end < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(raw.substring(TIMESTAMP_START.length(), end)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static LogLine of(JsonNode json) {
        return new LogLine(Instant.parse(json.path("@timestamp").asText()),
                shortServiceName(text(json, "service")), text(json, "level"), text(json, "logger_name"),
                text(json, "thread_name"), task(json), text(json, "message"), text(json, "stack_trace"));
    }

    /** The task a line is about: the task's own threads say so; Debezium's threads name their connector. */
    private static String task(JsonNode json) {
        String task = text(json, "task");
        String connector = text(json, DEBEZIUM_CONNECTOR_FIELD);
        if (task == null && connector != null && connector.startsWith(DEBEZIUM_TASK_PREFIX)) {
            return connector.substring(DEBEZIUM_TASK_PREFIX.length());
        }
        return task;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
