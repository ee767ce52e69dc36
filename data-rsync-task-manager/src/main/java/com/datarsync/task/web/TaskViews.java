package com.datarsync.task.web;

import com.datarsync.common.stage.TaskStatus;
import com.datarsync.task.domain.DesiredState;
import com.datarsync.task.domain.RunOutcome;
import com.datarsync.task.domain.RunTrigger;
import com.datarsync.task.domain.SyncTaskState;
import com.datarsync.task.domain.TaskRun;
import com.datarsync.task.domain.TaskRunLog;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the task API answers. Definitions are shown without literal passwords. */
public final class TaskViews {

    private TaskViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskView(String id, String name, String description, String owner, int priority, String schedule,
            List<String> dependsOn, DesiredState desiredState, long generation, SyncTaskState state, String errorCode,
            String message, Instant stateSince, Instant snapshotCompletedAt, Instant createdAt, Instant updatedAt,
            JsonNode definition, List<String> allowedActions) {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retry(int attempts, Instant since, Instant nextAt) {
    }

    /**
     * @param rowsRead     rows the snapshot has read (this run)
     * @param rowsEstimate the source's estimate of the rows to read, when known
     * @param percent      0-100; 100 once the snapshot completed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SnapshotProgress(long rowsRead, Long rowsEstimate, double percent, Instant completedAt) {
    }

    /**
     * The task's state aggregated over its stages.
     *
     * @param rowsPerSecond  rows written to Milvus (upserted or deleted) per second, over the last half minute
     * @param lagMs          now minus the source commit time of the last change Milvus acknowledged, while
     *                       changes are in flight; 0 when every change read so far is in Milvus
     * @param pendingRecords records in the task's topics that data-process and milvus-sync have not committed;
     *                       -1 when Kafka does not answer
     * @param note           set when the answer is partial (the metadata database is unreachable)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskStatusView(String id, DesiredState desiredState, long generation, SyncTaskState state,
            String errorCode, String message, Instant stateSince, Retry retry, SnapshotProgress snapshot,
            Double rowsPerSecond, Long lagMs, long pendingRecords, RunView run, List<TaskStatus> stages, String note,
            DeadLetterCounts deadLetters, List<String> warnings, List<String> allowedActions) {
    }

    /**
     * The task's stored dead letters: how many, and how many per {@code stage|code}; null when the
     * store (Redis) does not answer.
     */
    public record DeadLetterCounts(long total, Map<String, Long> byStageAndCode) {
    }

    /** One stored dead letter; {@code payload} only when one letter is asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeadLetterView(String id, String stage, String code, String reason, String key, Instant failedAt,
            boolean replayable, com.datarsync.common.event.DeadLetter.Source source, String payload) {

        public static DeadLetterView of(com.datarsync.task.domain.StoredDeadLetter stored, boolean withPayload) {
            com.datarsync.common.event.DeadLetter l = stored.letter();
            return new DeadLetterView(stored.id(), l.stage(), l.code(), l.reason(), l.key(),
                    Instant.ofEpochMilli(l.failedAtMs()), stored.replayable(), l.source(), withPayload ? l.payload() : null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunView(long id, long generation, RunTrigger trigger, String mode, Instant startedAt, Instant endedAt,
            RunOutcome outcome, long rowsSnapshotted, long rowsInserted, long rowsUpdated, long rowsDeleted,
            long textsEmbedded, long deadLetters, String errorCode, String errorMessage) {

        public static RunView of(TaskRun r) {
            return new RunView(r.getId(), r.getGeneration(), r.getTrigger(), r.getMode(), r.getStartedAt(),
                    r.getEndedAt(), r.getOutcome(), r.getRowsSnapshotted(), r.getRowsInserted(), r.getRowsUpdated(),
                    r.getRowsDeleted(), r.getTextsEmbedded(), r.getDeadLetters(), r.getErrorCode(), r.getErrorMessage());
        }
    }

    public record RunLogLine(Instant at, String level, String message) {
        public static RunLogLine of(TaskRunLog l) {
            return new RunLogLine(l.getAt(), l.getLevel(), l.getMessage());
        }
    }

    public record DailyStatistics(String taskId, String day, long runs, long rows, long failedRuns) {
    }

    public record Deleted(String id, List<String> removed) {
    }

    /**
     * A comparison of the source with Milvus and its repair; {@code report} is a
     * {@link com.datarsync.task.domain.VerificationReport} once it ended, {@code repair} what the
     * repair sent.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VerificationView(long id, String taskId, Long runId, com.datarsync.task.domain.TaskVerification.Trigger trigger,
            com.datarsync.task.domain.TaskVerification.State state, int sampleSize, Instant startedAt, Instant endedAt,
            com.fasterxml.jackson.databind.JsonNode report, String errorCode, String errorMessage,
            com.datarsync.task.domain.TaskVerification.State repairState, Instant repairStartedAt,
            Instant repairEndedAt, com.fasterxml.jackson.databind.JsonNode repair) {

        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        public static VerificationView of(com.datarsync.task.domain.TaskVerification v) {
            return new VerificationView(v.getId(), v.getTaskId(), v.getRunId(), v.getTrigger(), v.getState(),
                    v.getSampleSize(), v.getStartedAt(), v.getEndedAt(), tree(v.getReportJson()), v.getErrorCode(),
                    v.getErrorMessage(), v.getRepairState(), v.getRepairStartedAt(), v.getRepairEndedAt(),
                    tree(v.getRepairJson()));
        }

        private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
            try {
                return json == null ? null : JSON.readTree(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A task waiting to start: its place in the snapshot queue (0 while it waits for upstreams) and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueEntry(int position, String id, int priority, Instant queuedAt, SyncTaskState state,
            String reason) {
    }
}
