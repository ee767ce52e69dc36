package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The data path end to end, one source kind per subclass: 1,000 seeded rows of mixed types are
 * snapshotted, then random changes follow while each data-path service is in turn stopped
 * gracefully and killed with SIGKILL mid-stream (in the test command's fast run one kind of
 * disruption per source: MariaDB's stages are killed, PostgreSQL's stopped; {@code datarsync bench}
 * does both for both). After each disruption, 100 changes around it, and at the end, Milvus must hold exactly the source rows, and the change topic must hold exactly one
 * snapshot (the listener resumed from its stored offsets every time). While a stage is down the
 * task shows RETRYING naming it; once the stage is back the task manager assigns the task to it
 * again and the task is RUNNING by itself.
 */
abstract class DataPathEndToEnd extends RunningSuite {

    private static final int SEEDED = 1_000;
    private static final List<String> SERVICES = List.of("log-listener", "data-process", "milvus-sync");

    abstract E2eTable table();

    /** In the fast run: whether this source's stages are killed (else stopped gracefully). */
    abstract boolean crashInFastRun();

    private static void awaitState(DataPathClient client, String taskId, String state, String messageStart) {
        org.awaitility.Awaitility.await(taskId + " " + state).atMost(java.time.Duration.ofMinutes(2))
                .pollInterval(java.time.Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                    var status = client.taskStatus(taskId);
                    return state.equals(status.path("state").asText())
                            && status.path("message").asText().startsWith(messageStart);
                });
    }

    /** Changes streamed after the snapshot, before the first disruption. */
    private static final int STREAMED_FIRST = 20;
    /** A Debezium offset taken inside a snapshot ({@code "snapshot": true}, or its kind in Debezium 3). */
    private static final java.util.regex.Pattern SNAPSHOT_OFFSET =
            java.util.regex.Pattern.compile("\"snapshot\"\\s*:\\s*(true|\"(true|INITIAL|BLOCKING|INCREMENTAL)\")");

    @Test
    void milvusMirrorsTheSourceThroughSnapshotChangesRestartsAndCrashes() throws Exception {
        E2eTable table = table();
        String taskId = "e2e_" + table.kind() + "_" + runId();
        String collection = taskId;
        try (DataPathClient client = new DataPathClient()) {
            try {
                table.recreate();
                table.seed(SEEDED);
                client.startTask(table.definition(taskId, collection));
                client.awaitMirror(table, collection, "after the snapshot");
                // A crash before the listener stored an offset past the snapshot takes the snapshot
                // again (at least once: correct, but not the "one snapshot only" counted below). The
                // first changes streamed, the stored offset leaves the snapshot within a flush (1 s).
                table.change(STREAMED_FIRST);
                org.awaitility.Awaitility.await("the listener's stored offset is past the snapshot")
                        .atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(500))
                        .until(() -> {
                            String offsets = ChunkedSnapshotIT.storedOffsets(taskId);
                            return !offsets.isEmpty() && !SNAPSHOT_OFFSET.matcher(offsets).find();
                        });

                List<Boolean> disruptions = SuiteSize.full() ? List.of(false, true) : List.of(crashInFastRun());
                for (boolean crash : disruptions) {
                    for (String service : SERVICES) {
                        table.change(50);
                        if (crash) {
                            SuiteProcesses.kill(service);
                        } else {
                            SuiteProcesses.stop(service);
                        }
                        table.change(30);
                        // While the stage is gone the task says so, naming it.
                        awaitState(client, taskId, "RETRYING", service + ": ");
                        SuiteProcesses.start(service);
                        table.change(20);
                        awaitState(client, taskId, "RUNNING", "");
                        client.awaitMirror(table, collection, (crash ? "after killing " : "after stopping ") + service
                                + " mid-stream and starting it again");
                    }
                }
                int changes = STREAMED_FIRST + disruptions.size() * SERVICES.size() * 100;
                assertThat(table.changesApplied()).isEqualTo(changes);
                client.awaitMirror(table, collection, "after " + changes + " changes and " + disruptions.size()
                        * SERVICES.size() + " stops or kills");

                Map<String, Integer> ops = TaskTopics.operationsInChangeTopic(taskId);
                assertThat(ops.get("r")).as("snapshot reads in the change topic: one snapshot only").isEqualTo(SEEDED);
                assertThat(ops.getOrDefault("c", 0) + ops.getOrDefault("u", 0) + ops.getOrDefault("d", 0))
                        .as("streamed changes (a key change is a delete and an insert)").isGreaterThanOrEqualTo(changes);
            } finally {
                client.deleteTask(taskId, true);
                table.dropCaptureState(taskId);
            }
        }
    }
}
