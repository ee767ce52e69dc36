package com.datarsync.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.common.testsupport.SampleTaskDefinitions;
import com.datarsync.task.domain.TaskLifecycle.Action;
import com.datarsync.task.domain.TaskLifecycle.Facts;
import com.datarsync.task.domain.TaskLifecycle.RunChange;
import com.datarsync.task.domain.TaskLifecycle.Transition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One case per row of the lifecycle table in docs/tasks.md ("Lifecycle"): for a task in that
 * state, each command applies (A), changes nothing (N, 200) or is refused (R, 409). The table is
 * written out here as the docs give it, not derived from the code under test.
 */
class TaskLifecycleTest {

    /** A FULL_AND_INCREMENTAL task whose snapshot is incremental: every command has a case. */
    private static final Facts RESUMABLE = new Facts(SyncTaskDefinition.Mode.FULL_AND_INCREMENTAL, true);

    @ParameterizedTest(name = "{0} (desired {1}): {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # state   | desired | start pause resume stop restart full-sync resnapshot delete
            CREATED   | STOPPED | A R R N R A R A
            WAITING   | RUNNING | N A N A A A R A
            QUEUED    | RUNNING | N A N A A A R A
            STARTING  | RUNNING | N A N A A A A A
            RUNNING   | RUNNING | N A N A A A A A
            RETRYING  | RUNNING | N A N A A A A A
            STOPPING  | PAUSED  | A N A A R R R A
            STOPPING  | STOPPED | A R R N R R R A
            PAUSED    | PAUSED  | A N A A R R R A
            STOPPED   | STOPPED | A R R N R A R A
            COMPLETED | RUNNING | R R R A R A R A
            FAILED    | RUNNING | A R R A A A R A
            """)
    void eachCommandInThisStateAppliesChangesNothingOrIsRefused(SyncTaskState state, DesiredState desired, String row) {
        List<String> got = new ArrayList<>();
        for (Action action : Action.values()) {
            Transition t = TaskLifecycle.decide(state, desired, action, RESUMABLE);
            got.add(t.applies() ? "A" : t.noOp() ? "N" : "R");
            if (t.refused()) {
                assertThat(t.reason()).as(action + " is refused with a reason").isNotBlank();
            }
        }
        assertThat(String.join(" ", got)).isEqualTo(row.trim());
    }

    @Test
    void aRunningTaskSeenAfterItsStopWasAskedIsTreatedAsStopping() {
        // The supervisor has not reconciled yet: desired STOPPED, last seen RUNNING.
        assertThat(TaskLifecycle.decide(SyncTaskState.RUNNING, DesiredState.STOPPED, Action.PAUSE, RESUMABLE).refused())
                .isTrue();
        assertThat(TaskLifecycle.decide(SyncTaskState.RUNNING, DesiredState.PAUSED, Action.RESUME, RESUMABLE).applies())
                .isTrue();
    }

    @Test
    void whatEachAppliedCommandDoesToDesiredStateGenerationAndRun() {
        Transition start = TaskLifecycle.decide(SyncTaskState.STOPPED, DesiredState.STOPPED, Action.START, RESUMABLE);
        assertThat(start).extracting(Transition::desired, Transition::newGeneration, Transition::run)
                .containsExactly(DesiredState.RUNNING, false, RunChange.NEW);
        Transition resume = TaskLifecycle.decide(SyncTaskState.PAUSED, DesiredState.PAUSED, Action.RESUME, RESUMABLE);
        assertThat(resume).extracting(Transition::desired, Transition::newGeneration, Transition::run)
                .containsExactly(DesiredState.RUNNING, false, RunChange.CONTINUE);
        Transition startPaused = TaskLifecycle.decide(SyncTaskState.PAUSED, DesiredState.PAUSED, Action.START, RESUMABLE);
        assertThat(startPaused.run()).isEqualTo(RunChange.CONTINUE);
        Transition pause = TaskLifecycle.decide(SyncTaskState.RUNNING, DesiredState.RUNNING, Action.PAUSE, RESUMABLE);
        assertThat(pause).extracting(Transition::desired, Transition::newGeneration, Transition::run)
                .containsExactly(DesiredState.PAUSED, false, RunChange.NONE);
        Transition stop = TaskLifecycle.decide(SyncTaskState.FAILED, DesiredState.RUNNING, Action.STOP, RESUMABLE);
        assertThat(stop.desired()).isEqualTo(DesiredState.STOPPED);
        Transition restart = TaskLifecycle.decide(SyncTaskState.FAILED, DesiredState.RUNNING, Action.RESTART, RESUMABLE);
        assertThat(restart).extracting(Transition::desired, Transition::newGeneration, Transition::run)
                .containsExactly(DesiredState.RUNNING, true, RunChange.NEW);
        Transition fullSync = TaskLifecycle.decide(SyncTaskState.COMPLETED, DesiredState.RUNNING, Action.FULL_SYNC,
                RESUMABLE);
        assertThat(fullSync).extracting(Transition::desired, Transition::newGeneration, Transition::run)
                .containsExactly(DesiredState.RUNNING, true, RunChange.NEW);
        Transition resnapshot = TaskLifecycle.decide(SyncTaskState.RUNNING, DesiredState.RUNNING, Action.RESNAPSHOT,
                RESUMABLE);
        assertThat(resnapshot).extracting(Transition::desired, Transition::newGeneration, Transition::run)
                .containsExactly(DesiredState.RUNNING, false, RunChange.NONE);
    }

    @Test
    void anIncrementalTaskHasNoFullSyncAndABlockingSnapshotNoResnapshot() {
        Facts incremental = new Facts(SyncTaskDefinition.Mode.INCREMENTAL, false);
        Transition fullSync = TaskLifecycle.decide(SyncTaskState.RUNNING, DesiredState.RUNNING, Action.FULL_SYNC,
                incremental);
        assertThat(fullSync.refused()).isTrue();
        assertThat(fullSync.reason()).contains("INCREMENTAL");
        Transition resnapshot = TaskLifecycle.decide(SyncTaskState.RUNNING, DesiredState.RUNNING, Action.RESNAPSHOT,
                new Facts(SyncTaskDefinition.Mode.FULL_AND_INCREMENTAL, false));
        assertThat(resnapshot.refused()).isTrue();
        assertThat(resnapshot.reason()).contains("INCREMENTAL");
    }

    @Test
    void allowedActionsAreTheCommandsThatApplyByTheirApiNames() {
        SyncTask task = new SyncTask("articles", SyncTaskDefinitions.parse(SampleTaskDefinitions.articles("FULL_AND_INCREMENTAL")));
        assertThat(TaskLifecycle.allowedActions(task)).as("a new task").containsExactly("start", "full-sync", "delete");
        task.want(DesiredState.PAUSED);
        task.observe(SyncTaskState.PAUSED, null, null);
        assertThat(TaskLifecycle.allowedActions(task)).as("paused").containsExactly("start", "resume", "stop", "delete");
        task.want(DesiredState.RUNNING);
        task.observe(SyncTaskState.RUNNING, null, null);
        assertThat(TaskLifecycle.allowedActions(task)).as("running, blocking snapshot")
                .containsExactly("pause", "stop", "restart", "full-sync", "delete");
    }
}
