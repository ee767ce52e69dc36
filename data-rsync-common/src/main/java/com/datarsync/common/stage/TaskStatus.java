package com.datarsync.common.stage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/** The answer of a stage's status endpoint for one task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskStatus(
        String taskId,
        String stage,
        TaskState state,
        String errorCode,
        String message,
        Map<String, Long> counters,
        Instant startedAt,
        Instant updatedAt) {
}
