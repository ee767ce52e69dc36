package com.datarsync.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StagePlacementTest {

    private static TaskStatus copy(String task, long generation, TaskState state, long rows) {
        Instant t = Instant.parse("2026-12-02T00:00:00Z");
        return new TaskStatus(task, "x", generation, state, null, null, Map.of("rows", rows), t, t, t);
    }

    private static Map<String, List<TaskStatus>> answers(Object... instanceThenStatuses) {
        Map<String, List<TaskStatus>> out = new LinkedHashMap<>();
        for (int i = 0; i < instanceThenStatuses.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<TaskStatus> statuses = (List<TaskStatus>) instanceThenStatuses[i + 1];
            out.put((String) instanceThenStatuses[i], statuses);
        }
        return out;
    }

    @Test
    void theListenerKeepsOneCopyAndReleasesTheOthersAndNoIdleInstanceJoins() {
        StagePlacement<String> p = StagePlacement.of(Stage.LOG_LISTENER, "t", answers(
                "a", List.of(copy("t", 2, TaskState.RUNNING, 5)),
                "b", List.of(copy("t", 2, TaskState.RUNNING, 7)),
                "c", List.of()), false);
        assertThat(p.holders()).containsExactly("a");
        assertThat(p.surplus()).containsExactly("b");
        assertThat(p.idle()).isEmpty();
        assertThat(p.observation().status().counters()).containsEntry("rows", 5L);
    }

    @Test
    void everyInstanceOfAPartitionSharingStageHoldsOrJoinsAndTheCopiesReadAsOne() {
        StagePlacement<String> p = StagePlacement.of(Stage.MILVUS_SYNC, "t", answers(
                "a", List.of(copy("t", 2, TaskState.RUNNING, 5), copy("other", 1, TaskState.RUNNING, 1)),
                "b", List.of(copy("t", 2, TaskState.RETRYING, 7)),
                "c", List.of()), true);
        assertThat(p.holders()).containsExactly("a", "b");
        assertThat(p.surplus()).isEmpty();
        assertThat(p.idle()).containsExactly("c");
        assertThat(p.observation().reachable()).isTrue();
        assertThat(p.observation().status().state()).isEqualTo(TaskState.RETRYING);
        assertThat(p.observation().status().counters()).containsEntry("rows", 12L);
    }

    @Test
    void aTaskNobodyHoldsGoesToTheLeastBusyInstance() {
        StagePlacement<String> p = StagePlacement.of(Stage.DATA_PROCESS, "t", answers(
                "a", List.of(copy("x", 1, TaskState.RUNNING, 0), copy("y", 1, TaskState.RUNNING, 0)),
                "b", List.of(copy("z", 1, TaskState.RUNNING, 0))), false);
        assertThat(p.holders()).containsExactly("b");
        assertThat(p.observation().reachable()).isTrue();
        assertThat(p.observation().status()).isNull();
    }

    @Test
    void aListenerThatMayStillHoldTheTaskUnseenGetsNoSecondCopyButASharingStageStartsOne() {
        Map<String, List<TaskStatus>> oneAnswered = answers("a", List.of());
        StagePlacement<String> listener = StagePlacement.of(Stage.LOG_LISTENER, "t", oneAnswered, true);
        assertThat(listener.observation().reachable()).isFalse();
        assertThat(listener.holders()).isEmpty();
        StagePlacement<String> process = StagePlacement.of(Stage.DATA_PROCESS, "t", oneAnswered, true);
        assertThat(process.observation().reachable()).isTrue();
        assertThat(process.holders()).containsExactly("a");
        assertThat(StagePlacement.of(Stage.DATA_PROCESS, "t", Map.<String, List<TaskStatus>>of(), true)
                .observation().reachable()).isFalse();
    }
}
