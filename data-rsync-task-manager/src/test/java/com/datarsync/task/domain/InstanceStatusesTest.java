package com.datarsync.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceStatusesTest {

    private static final Instant T0 = Instant.parse("2026-12-02T00:00:00Z");

    private static TaskStatus copy(long generation, TaskState state, String code, Map<String, Long> counters,
            int startedSecond, List<String> warnings) {
        return new TaskStatus("t1", "milvus-sync", generation, state, code, code == null ? null : "why " + code,
                counters, T0.plusSeconds(startedSecond), T0.plusSeconds(100 + startedSecond),
                T0.plusSeconds(200 + startedSecond), warnings);
    }

    @Test
    void oneCopyIsTheStagesReportAsItIs() {
        TaskStatus only = copy(3, TaskState.RUNNING, null, Map.of("upsertedRows", 5L), 1, null);
        assertThat(InstanceStatuses.merge(List.of(only))).isSameAs(only);
    }

    @Test
    void countersAddUpAndTheWorstStateWithItsReasonStandsForTheStage() {
        TaskStatus running = copy(3, TaskState.RUNNING, null, Map.of("upsertedRows", 700L, "batches", 3L), 5,
                List.of("slow"));
        TaskStatus retrying = copy(3, TaskState.RETRYING, "DRS-5032", Map.of("upsertedRows", 300L, "retries", 2L), 2,
                List.of("slow", "disk"));
        TaskStatus merged = InstanceStatuses.merge(List.of(running, retrying));
        assertThat(merged.state()).isEqualTo(TaskState.RETRYING);
        assertThat(merged.errorCode()).isEqualTo("DRS-5032");
        assertThat(merged.message()).isEqualTo("why DRS-5032");
        assertThat(merged.generation()).isEqualTo(3);
        assertThat(merged.counters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("upsertedRows", 1_000L, "batches", 3L, "retries", 2L));
        assertThat(merged.startedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(merged.updatedAt()).isEqualTo(T0.plusSeconds(105));
        assertThat(merged.heartbeatAt()).isEqualTo(T0.plusSeconds(205));
        assertThat(merged.warnings()).containsExactly("slow", "disk");
    }

    @Test
    void valuesThatAreNotCountsDoNotAddUp() {
        TaskStatus ahead = copy(3, TaskState.RUNNING, null, Map.of("sourceWatermarkMs", 9_000L, "lastSourceTsMs",
                9_000L, "limit.milvusEntitiesPerSecond", 250L, "limitSharePercent", 50L, "limitedAt", 40L,
                "limitWaitMs", 700L), 1, null);
        TaskStatus behind = copy(3, TaskState.RUNNING, null, Map.of("sourceWatermarkMs", 7_000L, "lastSourceTsMs",
                8_000L, "limit.milvusEntitiesPerSecond", 250L, "limitSharePercent", 50L, "limitedAt", 60L,
                "limitWaitMs", 300L), 1, null);
        TaskStatus fresh = copy(3, TaskState.RUNNING, null, Map.of("sourceWatermarkMs", 0L), 1, null);
        assertThat(InstanceStatuses.merge(List.of(ahead, behind, fresh)).counters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("sourceWatermarkMs", 7_000L, "lastSourceTsMs", 9_000L, "limit.milvusEntitiesPerSecond", 250L,
                        "limitSharePercent", 100L, "limitedAt", 60L, "limitWaitMs", 1_000L));
    }

    @Test
    void aCopyOnAnOlderGenerationHoldsTheStageBackEvenWhenItRuns() {
        TaskStatus current = copy(4, TaskState.FAILED, "DRS-4091", Map.of(), 1, null);
        TaskStatus older = copy(3, TaskState.RUNNING, null, Map.of(), 1, null);
        TaskStatus merged = InstanceStatuses.merge(List.of(current, older));
        assertThat(merged.generation()).isEqualTo(3);
        assertThat(merged.state()).isEqualTo(TaskState.RUNNING);
        assertThat(merged.errorCode()).isNull();
    }

    @Test
    void startingOutranksRunningSoTheTaskIsNotRunningUntilEveryCopyIs() {
        TaskStatus merged = InstanceStatuses.merge(List.of(copy(2, TaskState.RUNNING, null, null, 1, null),
                copy(2, TaskState.STARTING, null, null, 3, null)));
        assertThat(merged.state()).isEqualTo(TaskState.STARTING);
        assertThat(merged.counters()).isEmpty();
        assertThat(merged.warnings()).isNull();
    }
}
