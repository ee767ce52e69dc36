package com.datarsync.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A record a stage could not handle, published to {@code rsync.dlq.<task>} with the reason, so
 * nothing is dropped silently; the original payload is kept as it arrived.
 *
 * @param stage   the service that gave up on the record
 * @param code    the stable error code (see docs/api.md)
 * @param reason  what was wrong, in one line
 * @param key     the record's Kafka key, when it had one
 * @param payload the original record (UTF-8 JSON text for the data path's own topics)
 * @param source  where the stage read the record (a task topic), so it can be replayed into the
 *                same partition once the cause is fixed; null when the record did not come from a
 *                task topic (the listener reads the source's log) or its payload was cut short
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(String taskId, String stage, String code, String reason, String key, String payload,
        long failedAtMs, Source source) {

    public DeadLetter(String taskId, String stage, String code, String reason, String key, String payload,
            long failedAtMs) {
        this(taskId, stage, code, reason, key, payload, failedAtMs, null);
    }

    /** A record's place in a Kafka topic. */
    public record Source(String topic, int partition, long offset) {
    }
}
