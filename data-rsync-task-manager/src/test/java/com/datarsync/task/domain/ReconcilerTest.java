package com.datarsync.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.common.testsupport.SampleTaskDefinitions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final Reconciler.Policy POLICY = new Reconciler.Policy(Duration.ofSeconds(2),
            Duration.ofSeconds(60), Duration.ofMinutes(30), Duration.ofSeconds(30));
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private static SyncTask task(String mode, DesiredState desired, SyncTaskState state) {
        SyncTask task = new SyncTask("articles", SyncTaskDefinitions.parse(SampleTaskDefinitions.articles(mode)));
        task.want(desired);
        task.observe(state, null, null);
        return task;
    }

    private static SyncTask running() {
        return task("FULL_AND_INCREMENTAL", DesiredState.RUNNING, SyncTaskState.RUNNING);
    }

    private static TaskStatus status(Stage stage, long generation, TaskState state, String code, Map<String, Long> counters) {
        return new TaskStatus("articles", stage.label(), generation, state, code, code == null ? null : "why", counters,
                NOW.minusSeconds(60), NOW, NOW);
    }

    /** Every stage answers and holds generation 1 in the given state. */
    private static Map<Stage, Reconciler.Observation> all(TaskState state) {
        Map<Stage, Reconciler.Observation> out = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            out.put(stage, new Reconciler.Observation(stage, true, status(stage, 1, state, null, Map.of())));
        }
        return out;
    }

    @Test
    void aStageThatLostItsAssignmentGetsItBackAtOnce() {
        Map<Stage, Reconciler.Observation> observed = all(TaskState.RUNNING);
        observed.put(Stage.DATA_PROCESS, new Reconciler.Observation(Stage.DATA_PROCESS, true, null));

        Reconciler.Plan plan = Reconciler.decide(running(), observed, POLICY, NOW);

        assertThat(plan.assign()).containsExactly(Stage.DATA_PROCESS);
        assertThat(plan.release()).isEmpty();
        assertThat(plan.state()).isEqualTo(SyncTaskState.STARTING);
    }

    @Test
    void aNewGenerationIsAssignedToEveryStageEndFirst() {
        SyncTask task = running();
        task.bumpGeneration();

        Reconciler.Plan plan = Reconciler.decide(task, all(TaskState.RUNNING), POLICY, NOW);

        assertThat(plan.assign()).containsExactly(Stage.MILVUS_SYNC, Stage.DATA_PROCESS, Stage.LOG_LISTENER);
    }

    @Test
    void everyStageRunningMakesTheTaskRunningAndNothingHappens() {
        Reconciler.Plan plan = Reconciler.decide(running(), all(TaskState.RUNNING), POLICY, NOW);

        assertThat(plan.assign()).isEmpty();
        assertThat(plan.release()).isEmpty();
        assertThat(plan.state()).isEqualTo(SyncTaskState.RUNNING);
        assertThat(plan.events()).isEmpty();
        assertThat(plan.endRun()).isNull();
    }

    @Test
    void aRetriableFailureIsRetriedAfterABackOffThatDoubles() {
        SyncTask task = running();
        Map<Stage, Reconciler.Observation> observed = all(TaskState.RUNNING);
        observed.put(Stage.LOG_LISTENER, new Reconciler.Observation(Stage.LOG_LISTENER, true,
                status(Stage.LOG_LISTENER, 1, TaskState.FAILED, "DRS-5032", Map.of())));

        // First sight: RETRYING with the reason, the first retry booked 2 s later, nothing assigned yet.
        Reconciler.Plan first = Reconciler.decide(task, observed, POLICY, NOW);
        assertThat(first.state()).isEqualTo(SyncTaskState.RETRYING);
        assertThat(first.code()).isEqualTo("DRS-5032");
        assertThat(first.message()).isEqualTo("log-listener: why");
        assertThat(first.assign()).isEmpty();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.nextRetryAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(first.endRun()).isNull();
        apply(task, first);

        // Before the back-off ends: still waiting.
        Reconciler.Plan waiting = Reconciler.decide(task, observed, POLICY, NOW.plusSeconds(1));
        assertThat(waiting.assign()).isEmpty();
        assertThat(waiting.nextRetryAt()).isEqualTo(NOW.plusSeconds(2));

        // After it: the listener is assigned again and the next pause is twice as long.
        Reconciler.Plan retry = Reconciler.decide(task, observed, POLICY, NOW.plusSeconds(2));
        assertThat(retry.assign()).containsExactly(Stage.LOG_LISTENER);
        assertThat(retry.attempts()).isEqualTo(2);
        assertThat(retry.nextRetryAt()).isEqualTo(NOW.plusSeconds(2 + 4));
        apply(task, retry);

        // The retried listener starts: the retry book is kept until the task has run steadily.
        observed.put(Stage.LOG_LISTENER, new Reconciler.Observation(Stage.LOG_LISTENER, true,
                status(Stage.LOG_LISTENER, 1, TaskState.RUNNING, null, Map.of())));
        Reconciler.Plan recovered = Reconciler.decide(task, observed, POLICY, NOW.plusSeconds(3));
        assertThat(recovered.state()).isEqualTo(SyncTaskState.RUNNING);
        assertThat(recovered.attempts()).isEqualTo(2);
        assertThat(recovered.retryingSince()).isEqualTo(NOW);
    }

    @Test
    void theBackOffStopsGrowingAtItsMaximum() {
        assertThat(POLICY.backoff(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(POLICY.backoff(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(POLICY.backoff(6)).isEqualTo(Duration.ofSeconds(60));
        assertThat(POLICY.backoff(40)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retryingPastTheBudgetFailsTheTaskAndReleasesEveryStage() {
        SyncTask task = running();
        task.observe(SyncTaskState.RETRYING, "DRS-5032", "milvus-sync: why");
        task.retryBook(7, NOW.minus(Duration.ofMinutes(31)), NOW.minusSeconds(1));
        Map<Stage, Reconciler.Observation> observed = all(TaskState.RUNNING);
        observed.put(Stage.MILVUS_SYNC, new Reconciler.Observation(Stage.MILVUS_SYNC, true,
                status(Stage.MILVUS_SYNC, 1, TaskState.RETRYING, "DRS-5032", Map.of())));

        Reconciler.Plan plan = Reconciler.decide(task, observed, POLICY, NOW);

        assertThat(plan.state()).isEqualTo(SyncTaskState.FAILED);
        assertThat(plan.code()).isEqualTo("DRS-5032");
        assertThat(plan.message()).startsWith("Gave up after retrying for PT30M (7 attempts)");
        assertThat(plan.release()).containsExactly(Stage.LOG_LISTENER, Stage.DATA_PROCESS, Stage.MILVUS_SYNC);
        assertThat(plan.endRun()).isEqualTo(RunOutcome.FAILED);
    }

    @Test
    void aPermanentFailureFailsTheTaskAtOnceWithItsCode() {
        Map<Stage, Reconciler.Observation> observed = all(TaskState.RUNNING);
        observed.put(Stage.DATA_PROCESS, new Reconciler.Observation(Stage.DATA_PROCESS, true,
                status(Stage.DATA_PROCESS, 1, TaskState.FAILED, "DRS-4000", Map.of())));

        Reconciler.Plan plan = Reconciler.decide(running(), observed, POLICY, NOW);

        assertThat(plan.state()).isEqualTo(SyncTaskState.FAILED);
        assertThat(plan.code()).isEqualTo("DRS-4000");
        assertThat(plan.message()).isEqualTo("data-process: why");
        assertThat(plan.assign()).isEmpty();
        assertThat(plan.release()).hasSize(3);
        assertThat(plan.endRun()).isEqualTo(RunOutcome.FAILED);
    }

    @Test
    void aFailedTaskStaysFailedAndNothingRunsItUntilAnOperatorActs() {
        SyncTask task = running();
        task.observe(SyncTaskState.FAILED, "DRS-4000", "data-process: why");
        Map<Stage, Reconciler.Observation> observed = all(TaskState.RUNNING);
        observed.put(Stage.DATA_PROCESS, new Reconciler.Observation(Stage.DATA_PROCESS, true, null));

        Reconciler.Plan plan = Reconciler.decide(task, observed, POLICY, NOW);

        assertThat(plan.state()).isEqualTo(SyncTaskState.FAILED);
        assertThat(plan.assign()).isEmpty();
        assertThat(plan.release()).containsExactly(Stage.LOG_LISTENER, Stage.MILVUS_SYNC);
    }

    @Test
    void anUnreachableStageMakesTheTaskRetryingWithoutAssigningIt() {
        Map<Stage, Reconciler.Observation> observed = all(TaskState.RUNNING);
        observed.put(Stage.MILVUS_SYNC, Reconciler.Observation.unreachable(Stage.MILVUS_SYNC));

        Reconciler.Plan plan = Reconciler.decide(running(), observed, POLICY, NOW);

        assertThat(plan.state()).isEqualTo(SyncTaskState.RETRYING);
        assertThat(plan.code()).isEqualTo("DRS-5030");
        assertThat(plan.message()).isEqualTo("milvus-sync: no instance answers");
        assertThat(plan.assign()).isEmpty();
    }

    @Test
    void pausingReleasesTheSourceFirstAndEndsPausedWithTheRunOpen() {
        SyncTask task = task("FULL_AND_INCREMENTAL", DesiredState.PAUSED, SyncTaskState.RUNNING);

        Reconciler.Plan releasing = Reconciler.decide(task, all(TaskState.RUNNING), POLICY, NOW);
        assertThat(releasing.release()).containsExactly(Stage.LOG_LISTENER, Stage.DATA_PROCESS, Stage.MILVUS_SYNC);
        assertThat(releasing.state()).isEqualTo(SyncTaskState.STOPPING);

        Map<Stage, Reconciler.Observation> none = nobodyHolds();
        Reconciler.Plan paused = Reconciler.decide(task, none, POLICY, NOW);
        assertThat(paused.state()).isEqualTo(SyncTaskState.PAUSED);
        assertThat(paused.endRun()).isNull();

        task.want(DesiredState.STOPPED);
        Reconciler.Plan stopped = Reconciler.decide(task, none, POLICY, NOW);
        assertThat(stopped.state()).isEqualTo(SyncTaskState.STOPPED);
        assertThat(stopped.endRun()).isEqualTo(RunOutcome.STOPPED);
    }

    @Test
    void aFullTaskCompletesWhenTheListenerReadTheSnapshot() {
        SyncTask task = task("FULL", DesiredState.RUNNING, SyncTaskState.RUNNING);
        Map<Stage, Reconciler.Observation> observed = all(TaskState.RUNNING);
        observed.put(Stage.LOG_LISTENER, new Reconciler.Observation(Stage.LOG_LISTENER, true,
                status(Stage.LOG_LISTENER, 1, TaskState.COMPLETED, null, Map.of("snapshotsCompleted", 1L))));

        Reconciler.Plan plan = Reconciler.decide(task, observed, POLICY, NOW);

        assertThat(plan.state()).isEqualTo(SyncTaskState.COMPLETED);
        assertThat(plan.snapshotCompleted()).isTrue();
        assertThat(plan.endRun()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(plan.events()).contains("Snapshot completed");
    }

    @Test
    void aTaskWhoseUpstreamHasNotCompletedItsSnapshotWaitsAndNothingRunsIt() {
        Map<Stage, Reconciler.Observation> none = nobodyHolds();
        SyncTask task = task("FULL_AND_INCREMENTAL", DesiredState.RUNNING, SyncTaskState.QUEUED);

        Reconciler.Plan plan = Reconciler.decide(task, none, new Reconciler.Gate(java.util.List.of("orders"), true, 0),
                POLICY, NOW);

        assertThat(plan.state()).isEqualTo(SyncTaskState.WAITING);
        assertThat(plan.message()).isEqualTo("waiting for the snapshot of orders");
        assertThat(plan.assign()).isEmpty();
    }

    @Test
    void aTaskWithoutASnapshotSlotIsQueuedAndAnAdmittedOneStarts() {
        Map<Stage, Reconciler.Observation> none = nobodyHolds();
        SyncTask task = task("FULL_AND_INCREMENTAL", DesiredState.RUNNING, SyncTaskState.QUEUED);

        Reconciler.Plan queued = Reconciler.decide(task, none, new Reconciler.Gate(java.util.List.of(), false, 3),
                POLICY, NOW);
        assertThat(queued.state()).isEqualTo(SyncTaskState.QUEUED);
        assertThat(queued.message()).isEqualTo("queued for a snapshot slot, position 3");
        assertThat(queued.assign()).isEmpty();

        Reconciler.Plan admitted = Reconciler.decide(task, none, Reconciler.Gate.OPEN, POLICY, NOW);
        assertThat(admitted.state()).isEqualTo(SyncTaskState.STARTING);
        assertThat(admitted.assign()).containsExactly(Stage.MILVUS_SYNC, Stage.DATA_PROCESS, Stage.LOG_LISTENER);
    }

    @Test
    void aTaskAlreadyRunningIsNeverHeldBackByTheGate() {
        Reconciler.Plan plan = Reconciler.decide(running(), all(TaskState.RUNNING),
                new Reconciler.Gate(java.util.List.of("orders"), false, 2), POLICY, NOW);

        assertThat(plan.state()).isEqualTo(SyncTaskState.RUNNING);
        assertThat(plan.release()).isEmpty();
    }

    @Test
    void aListenerStillOnTheOldGenerationDoesNotCompleteANewFullSync() {
        SyncTask task = task("FULL", DesiredState.RUNNING, SyncTaskState.QUEUED);
        task.bumpGeneration();
        Map<Stage, Reconciler.Observation> observed = all(TaskState.RUNNING);
        observed.put(Stage.LOG_LISTENER, new Reconciler.Observation(Stage.LOG_LISTENER, true,
                status(Stage.LOG_LISTENER, 1, TaskState.COMPLETED, null, Map.of("snapshotsCompleted", 1L))));

        Reconciler.Plan plan = Reconciler.decide(task, observed, POLICY, NOW);

        assertThat(plan.snapshotCompleted()).isFalse();
        assertThat(plan.assign()).contains(Stage.LOG_LISTENER);
    }

    @Test
    void aLoadWrittenWithoutIndexesCompletesOnlyOnceMilvusSyncBuiltThem() {
        SyncTask task = running();
        Map<Stage, Reconciler.Observation> observed = all(TaskState.RUNNING);
        observed.put(Stage.LOG_LISTENER, new Reconciler.Observation(Stage.LOG_LISTENER, true,
                status(Stage.LOG_LISTENER, 1, TaskState.RUNNING, null, Map.of("snapshotsCompleted", 1L))));
        observed.put(Stage.MILVUS_SYNC, new Reconciler.Observation(Stage.MILVUS_SYNC, true,
                status(Stage.MILVUS_SYNC, 1, TaskState.RUNNING, null, Map.of("indexPending", 1L))));

        assertThat(Reconciler.decide(task, observed, POLICY, NOW).snapshotCompleted()).isFalse();

        observed.put(Stage.MILVUS_SYNC, new Reconciler.Observation(Stage.MILVUS_SYNC, true,
                status(Stage.MILVUS_SYNC, 1, TaskState.RUNNING, null, Map.of("indexPending", 0L))));
        assertThat(Reconciler.decide(task, observed, POLICY, NOW).snapshotCompleted()).isTrue();
    }

    /** Every stage answers and none holds the task. */
    private static Map<Stage, Reconciler.Observation> nobodyHolds() {
        Map<Stage, Reconciler.Observation> none = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            none.put(stage, new Reconciler.Observation(stage, true, null));
        }
        return none;
    }

    private static void apply(SyncTask task, Reconciler.Plan plan) {
        task.observe(plan.state(), plan.code(), plan.message());
        task.retryBook(plan.attempts(), plan.retryingSince(), plan.nextRetryAt());
    }
}
