package com.datarsync.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunCountersTest {

    @Test
    void aRestartedStageAddsItsNewCountsToTheOldOnes() {
        // The listener ran twice in this run (a crash in between): 600 + 400 snapshot rows, 7 + 3 updates.
        Map<String, Map<String, Long>> segments = Map.of(
                "log-listener@2026-11-25T10:00:00Z", Map.of("snapshotRecords", 600L, "updates", 7L),
                "log-listener@2026-11-25T10:05:00Z", Map.of("snapshotRecords", 400L, "updates", 3L, "inserts", 2L),
                "data-process@2026-11-25T10:00:00Z", Map.of("textsEmbedded", 990L, "deadLetters", 1L),
                "milvus-sync@2026-11-25T10:00:00Z", Map.of("deadLetters", 2L, "upsertedRows", 1000L));

        Map<String, Long> totals = RunCounters.totals(segments);

        assertThat(totals).containsEntry(RunCounters.SNAPSHOTTED, 1000L).containsEntry(RunCounters.UPDATED, 10L)
                .containsEntry(RunCounters.INSERTED, 2L).containsEntry(RunCounters.EMBEDDED, 990L)
                .containsEntry(RunCounters.DEAD_LETTERS, 3L).doesNotContainKey(RunCounters.DELETED);
    }
}
