package com.datarsync.common.stage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a stage reports for one task it holds: the generation of the assignment it runs, the state
 * with a stable error code and a one-line message, its counters (since this assignment started in
 * this process), when the assignment started, a heartbeat (when the stage answered) and the
 * warnings an operator should act on (null when none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskStatus(
        String taskId,
        String stage,
        long generation,
        TaskState state,
        String errorCode,
        String message,
        Map<String, Long> counters,
        Instant startedAt,
        Instant updatedAt,
        Instant heartbeatAt,
        List<String> warnings) {

    public TaskStatus(String taskId, String stage, long generation, TaskState state, String errorCode, String message,
            Map<String, Long> counters, Instant startedAt, Instant updatedAt, Instant heartbeatAt) {
        this(taskId, stage, generation, state, errorCode, message, counters, startedAt, updatedAt, heartbeatAt, null);
    }

    /** The warnings, each prefixed with the stage's name ({@code data-process: …}); empty when none. */
    public List<String> labelledWarnings() {
        return warnings == null ? List.of() : warnings.stream().map(w -> stage + ": " + w).toList();
    }
}
