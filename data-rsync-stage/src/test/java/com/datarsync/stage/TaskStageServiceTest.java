package com.datarsync.stage;

import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.testsupport.SampleTaskDefinitions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker side of an assignment: idempotent, never backwards, restarting only what changed. */
class TaskStageServiceTest {

    private static final String DEFINITION = SampleTaskDefinitions.articles("FULL_AND_INCREMENTAL");

    /** A stage that records its launches and whose work uses only the source (as the listener's does). */
    private static final class RecordingStage extends AbstractTaskStage {
        final List<Long> launches = new ArrayList<>();
        final List<TaskProgress> progresses = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void check(SyncTaskDefinition definition) {
            if (definition.source().database().equals("refused")) {
                throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "source.database: refused");
            }
        }

        @Override
        public Object usedPart(SyncTaskDefinition definition) {
            return definition.source();
        }

        @Override
        protected Runner launch(SyncTaskDefinition definition, TaskProgress progress) {
            launches.add(progress.generation());
            progresses.add(progress);
            progress.running();
            return () -> { };
        }
    }

    private static String assignment(long generation, String definition) {
        return "{\"generation\": " + generation + ", \"definition\": " + definition + "}";
    }

    @Test
    void theSameGenerationAgainIsANoOpAndAnOlderOneIsRefused() {
        RecordingStage stage = new RecordingStage();
        TaskStageService service = new TaskStageService(stage);

        service.assign("articles", assignment(3, DEFINITION));
        TaskStatus again = service.assign("articles", assignment(3, DEFINITION));

        assertThat(stage.launches).containsExactly(3L);
        assertThat(again.generation()).isEqualTo(3);
        assertThatThrownBy(() -> service.assign("articles", assignment(2, DEFINITION)))
                .isInstanceOfSatisfying(DataRsyncException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).contains("generation 3, newer than 2");
                });
    }

    @Test
    void aNewGenerationIsAdoptedWhenTheStagesPartIsUnchangedAndRestartsItOtherwise() {
        RecordingStage stage = new RecordingStage();
        TaskStageService service = new TaskStageService(stage);
        service.assign("articles", assignment(1, DEFINITION));

        // Only the target changed: this stage uses the source, so it keeps running under generation 2.
        TaskStatus adopted = service.assign("articles", assignment(2, DEFINITION.replace("\"maxLength\": 512",
                "\"maxLength\": 1024")));
        assertThat(stage.launches).containsExactly(1L);
        assertThat(adopted.generation()).isEqualTo(2);

        // The source changed: the work restarts under generation 3.
        service.assign("articles", assignment(3, DEFINITION.replace("\"dataSourceId\": 1", "\"dataSourceId\": 2")));
        assertThat(stage.launches).containsExactly(1L, 3L);
        assertThat(stage.progresses.get(0).state()).isEqualTo(TaskState.STOPPED);
    }

    @Test
    void aFailedTaskIsStartedAgainOnTheSameGenerationAndAReleasedOneIsForgotten() {
        RecordingStage stage = new RecordingStage();
        TaskStageService service = new TaskStageService(stage);
        service.assign("articles", assignment(1, DEFINITION));
        stage.progresses.get(0).failed(ErrorCode.TARGET_UNAVAILABLE, "Kafka away");

        service.assign("articles", assignment(1, DEFINITION));
        assertThat(stage.launches).containsExactly(1L, 1L);

        service.release("articles");
        assertThat(service.statuses()).isEmpty();
        assertThatThrownBy(() -> service.status("articles")).isInstanceOf(DataRsyncException.class);
    }

    @Test
    void anAssignmentTheStageRefusesStartsNothingAndAMismatchedIdIsRefused() {
        RecordingStage stage = new RecordingStage();
        TaskStageService service = new TaskStageService(stage);

        assertThatThrownBy(() -> service.assign("articles", assignment(1, DEFINITION.replace("\"shop\"", "\"refused\""))))
                .hasMessageContaining("source.database");
        assertThatThrownBy(() -> service.assign("other", assignment(1, DEFINITION)))
                .hasMessageContaining("is not the task 'other'");
        assertThat(stage.launches).isEmpty();
        assertThat(service.statuses()).isEmpty();
    }
}
