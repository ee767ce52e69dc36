package com.datarsync.task.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.common.testsupport.SampleTaskDefinitions;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TaskMeters meters = new TaskMeters(registry);

    private static SyncTask task(String id, SyncTaskState state) {
        SyncTask task = new SyncTask(id, SyncTaskDefinitions.parse(SampleTaskDefinitions.articles("FULL")));
        task.observe(state, null, null);
        return task;
    }

    private static TaskStatus milvus(String id, long watermarkMs) {
        return new TaskStatus(id, "milvus-sync", 1, TaskState.RUNNING, null, null,
                Map.of("sourceWatermarkMs", watermarkMs), Instant.now(), Instant.now(), Instant.now());
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void eachTaskHasItsStateAndEndToEndLagUntilItIsGone() {
        long tenSecondsAgo = System.currentTimeMillis() - 10_000;
        meters.observe(List.of(task("a", SyncTaskState.RUNNING), task("b", SyncTaskState.FAILED)),
                Map.of("a", Map.of(Stage.MILVUS_SYNC, milvus("a", tenSecondsAgo))));

        assertThat(gauge("datarsync.task.state", "task", "a", "state", "RUNNING")).isEqualTo(1.0);
        assertThat(gauge("datarsync.task.state", "task", "a", "state", "FAILED")).isZero();
        assertThat(gauge("datarsync.task.state", "task", "b", "state", "FAILED")).isEqualTo(1.0);
        assertThat(gauge("datarsync.task.lag", "task", "a")).isBetween(10_000.0, 12_000.0);
        assertThat(gauge("datarsync.task.lag", "task", "b")).as("nothing in Milvus yet").isNaN();

        // Task b deleted, task a recovered from nothing: b's meters go, a's follow.
        meters.observe(List.of(task("a", SyncTaskState.RETRYING)), Map.of());
        assertThat(registry.find("datarsync.task.state").tags("task", "b").gauges()).isEmpty();
        assertThat(registry.find("datarsync.task.lag").tags("task", "b").gauges()).isEmpty();
        assertThat(gauge("datarsync.task.state", "task", "a", "state", "RETRYING")).isEqualTo(1.0);
        assertThat(gauge("datarsync.task.lag", "task", "a")).as("the last watermark known").isGreaterThan(10_000.0);

        meters.forget("a");
        assertThat(registry.getMeters()).isEmpty();
    }
}
