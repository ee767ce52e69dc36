package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A snapshot of an empty table has no last row to mark its end: the task still reports its
 * snapshot complete (what dependent tasks and the benchmarks wait for), milvus-sync removes what
 * the collection held from an earlier load (the source is empty, so Milvus must be), and the
 * changes that follow arrive exactly.
 */
class EmptySnapshotIT extends RunningSuite {

    @Test
    void anEmptyTableSnapshotCompletesEmptiesTheCollectionAndStreamsWhatFollows() throws Exception {
        String run = runId();
        String collection = "empty_snap_" + run;
        String first = "empty_snap_a_" + run;
        String second = "empty_snap_b_" + run;
        try (DataPathClient client = new DataPathClient()) {
            try {
                // An earlier load leaves 20 entities in the collection.
                E2eTable earlier = new MariaDbE2eTable();
                earlier.recreate();
                earlier.seed(20);
                client.startTask(earlier.definition(first, collection));
                client.awaitMirror(earlier, collection, "the earlier load");
                client.deleteTask(first, false);
                earlier.dropCaptureState(first);
                assertThat(client.count(collection)).isEqualTo(20);

                // The table is empty now; a new task on it snapshots nothing.
                E2eTable table = new MariaDbE2eTable();
                table.recreate();
                client.startTask(table.definition(second, collection));
                await("the empty snapshot reported complete").atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + second))
                                .body()).path("snapshotCompletedAt").isTextual());
                await("the earlier load's entities removed").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> client.count(collection) == 0);

                table.change(40);
                client.awaitMirror(table, collection, "40 changes after an empty snapshot");
            } finally {
                client.deleteTask(first, false);
                client.deleteTask(second, true);
            }
        }
    }
}
