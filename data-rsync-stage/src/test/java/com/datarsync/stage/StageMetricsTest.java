package com.datarsync.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.testsupport.SampleTaskDefinitions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void eventsAreCountedPerDirectionAndOperationAndMarkersAreNot() {
        StageMetrics metrics = new TaskProgress("t1", "data-process", 1, registry, new TaskRateLimits()).metrics();
        metrics.eventsIn("insert", 3);
        metrics.eventsIn("insert", 2);
        metrics.eventsIn(null, 7);
        metrics.eventsOut("upsert", 4);
        assertThat(registry.get("datarsync.stage.events").tags("task", "t1", "stage", "data-process", "direction", "in",
                "op", "insert").counter().count()).isEqualTo(5.0);
        assertThat(registry.get("datarsync.stage.events").tags("direction", "out", "op", "upsert").counter().count())
                .isEqualTo(4.0);
        assertThat(registry.find("datarsync.stage.events").counters()).hasSize(2);
    }

    @Test
    void lagIsTheSlowestPartitionsAgeAndNeverNegative() {
        StageMetrics metrics = new TaskProgress("t1", "milvus-sync", 1, registry, new TaskRateLimits()).metrics();
        long now = System.currentTimeMillis();
        metrics.finished(0, now - 5_000);
        metrics.finished(1, now - 60_000);
        metrics.finished(1, now - 1_000);
        assertThat(metrics.watermark()).isEqualTo(now - 5_000);
        assertThat(metrics.lagMillis()).isBetween(5_000L, 6_000L);
        // A source clock ahead of this one.
        metrics.finished(0, now + 60_000);
        metrics.finished(1, now + 60_000);
        assertThat(metrics.lagMillis()).isZero();
        assertThat(registry.get("datarsync.stage.lag").gauge().value()).isZero();
        // A time of 0 (a marker without one) moves nothing.
        metrics.finished(0, 0);
        assertThat(metrics.watermark()).isEqualTo(now + 60_000);
    }

    @Test
    void theStateGaugeFollowsTheTaskAndRetriesAndDeadLettersAreCounted() {
        TaskProgress progress = new TaskProgress("t2", "log-listener", 1, registry, new TaskRateLimits());
        // Present at 0 from the start, so Prometheus' increase() sees the first one.
        assertThat(registry.get("datarsync.stage.retries").tags("task", "t2").counter().count()).isZero();
        assertThat(registry.get("datarsync.stage.dead.letters").tags("task", "t2", "code", "DRS-4220").counter().count())
                .isZero();
        progress.running();
        assertThat(registry.get("datarsync.stage.state").tags("task", "t2", "state", "RUNNING").gauge().value())
                .isEqualTo(1.0);
        progress.retrying(ErrorCode.SOURCE_UNREACHABLE, "down");
        progress.retrying(ErrorCode.SOURCE_UNREACHABLE, "still down");
        assertThat(registry.get("datarsync.stage.state").tags("task", "t2", "state", "RUNNING").gauge().value())
                .isZero();
        assertThat(registry.get("datarsync.stage.state").tags("task", "t2", "state", "RETRYING").gauge().value())
                .isEqualTo(1.0);
        assertThat(registry.get("datarsync.stage.retries").tags("task", "t2").counter().count()).isEqualTo(2.0);
        progress.metrics().deadLetters("DRS-4220", 2);
        assertThat(registry.get("datarsync.stage.dead.letters").tags("task", "t2", "code", "DRS-4220").counter().count())
                .isEqualTo(2.0);
    }

    @Test
    void releasingATaskRemovesEveryOneOfItsMetersAndLeavesOtherTasksAlone() {
        RecordingStage stage = new RecordingStage();
        stage.setMeterRegistry(registry);
        stage.start(definition("gone"), 1).metrics().eventsIn("insert", 1);
        stage.start(definition("kept"), 1).metrics().milvusWrite("upsert", true, 1_000);
        stage.progress("gone").orElseThrow().metrics().counterOf("datarsync.snapshot.rows", "rows", () -> 3);
        assertThat(registry.getMeters().stream().filter(m -> "gone".equals(m.getId().getTag("task")))).isNotEmpty();

        stage.release("gone");

        assertThat(registry.getMeters().stream().filter(m -> "gone".equals(m.getId().getTag("task")))).isEmpty();
        assertThat(registry.get("datarsync.milvus.write.duration").tags("task", "kept", "outcome", "success").timer()
                .count()).isEqualTo(1);
        // Started again after it ended: one set of meters, the new run's.
        stage.start(definition("kept"), 2);
        assertThat(registry.find("datarsync.milvus.write.duration").tags("task", "kept").timers()).isEmpty();
        assertThat(registry.find("datarsync.stage.lag").tags("task", "kept").gauges()).hasSize(1);
    }

    private static SyncTaskDefinition definition(String id) {
        return com.datarsync.common.task.SyncTaskDefinitions.parse(SampleTaskDefinitions.articles("INCREMENTAL")
                .replace("\"id\": \"articles\"", "\"id\": \"" + id + "\""));
    }

    /** A stage whose work is nothing: only its book of tasks and their meters. */
    private static final class RecordingStage extends AbstractTaskStage {
        @Override
        protected Runner launch(SyncTaskDefinition definition, TaskProgress progress) {
            progress.running();
            return () -> { };
        }

        @Override
        public String name() {
            return "milvus-sync";
        }

        @Override
        public void check(SyncTaskDefinition definition) {
        }

        @Override
        public List<String> cleanUp(SyncTaskDefinition definition, boolean dropTarget) {
            return List.of();
        }
    }
}
