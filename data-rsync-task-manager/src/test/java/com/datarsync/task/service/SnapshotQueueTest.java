package com.datarsync.task.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.common.testsupport.SampleTaskDefinitions;
import com.datarsync.task.domain.DesiredState;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

class SnapshotQueueTest {

    private static SyncTask queued(String id, int priority, String queuedAt) {
        SyncTask task = new SyncTask(id, SyncTaskDefinitions.parse(SampleTaskDefinitions.articles("FULL")));
        task.want(DesiredState.RUNNING);
        task.observe(SyncTaskState.QUEUED, null, null);
        task.queue(Instant.parse(queuedAt));
        ReflectionTestUtils.setField(task, "priority", priority);
        return task;
    }

    @Test
    void queuedTasksTakeSlotsByPriorityThenByTheTimeTheyQueued() {
        List<SyncTask> all = List.of(
                queued("low_old", 1, "2026-11-25T10:00:00Z"),
                queued("high_new", 5, "2026-11-25T10:05:00Z"),
                queued("high_old", 5, "2026-11-25T10:01:00Z"),
                queued("mid", 3, "2026-11-25T10:00:00Z"),
                queued("not_needing", 9, "2026-11-25T09:00:00Z"));

        List<String> order = SnapshotGate.queue(all, Set.of("low_old", "high_new", "high_old", "mid"));

        assertThat(order).containsExactly("high_old", "high_new", "mid", "low_old");
    }
}
