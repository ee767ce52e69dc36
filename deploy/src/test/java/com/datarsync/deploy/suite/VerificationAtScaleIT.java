package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A verification over a large table (docs/tasks.md, "Verification"): the key sets are streamed
 * and compared through digests, so it must hold for a table of any size. A numeric-features task
 * (no text model, so the snapshot itself is quick) carries {@value #FAST_ROWS} rows
 * ({@value #FULL_ROWS} in {@code datarsync bench}), or {@code DATARSYNC_VERIFY_ROWS}; then entities are deleted from Milvus and
 * ghosts inserted there, and the verification must name exactly those, the repair must remove the
 * difference, and a last verification must find the collection equal. It prints how long each
 * verification took and the services' peak memory; it asserts nothing about time.
 */
class VerificationAtScaleIT extends RunningSuite {

    private static final int FAST_ROWS = 50_000;
    private static final int FULL_ROWS = 1_000_000;

    @Test
    void aLargeTableIsVerifiedAndRepairedByKeyDigests() throws Exception {
        int rows = SuiteSize.setting("DATARSYNC_VERIFY_ROWS", FAST_ROWS, FULL_ROWS);
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "verify_scale_" + runId();
        source.createNumeric("verify_scale", rows);
        try (DataPathClient client = new DataPathClient()) {
            try {
                long t0 = System.nanoTime();
                client.startTask(definition(source, taskId));
                JsonNode first = awaitVerification(taskId, 0, Duration.ofMinutes(30));
                double snapshotAndVerify = (System.nanoTime() - t0) / 1e9;
                assertThat(first.path("trigger").asText()).isEqualTo("FULL_SYNC");
                assertThat(first.path("state").asText()).as(first.path("report").toString())
                        .isEqualTo("EQUAL");
                assertThat(first.path("report").path("sourceTotal").asLong()).isEqualTo(rows);
                assertThat(client.count(taskId)).isEqualTo(rows);

                List<String> deleted = List.of("17", Integer.toString(rows / 2), Integer.toString(rows));
                client.milvus.delete(DeleteReq.builder().collectionName(taskId).ids(new ArrayList<>(deleted)).build());
                List<String> ghosts = List.of(Integer.toString(rows + 1), Integer.toString(rows + 50), "-3");
                List<JsonObject> ghostRows = new ArrayList<>();
                for (String key : ghosts) {
                    JsonObject row = new JsonObject();
                    row.addProperty("pk", key);
                    row.addProperty("a", 1L);
                    JsonArray vector = new JsonArray();
                    vector.add(1f);
                    vector.add(2f);
                    row.add("features", vector);
                    ghostRows.add(row);
                }
                client.milvus.upsert(UpsertReq.builder().collectionName(taskId).data(ghostRows).build());

                long found = startVerification(taskId);
                JsonNode differences = awaitVerification(taskId, found, Duration.ofMinutes(30));
                JsonNode report = differences.path("report");
                assertThat(differences.path("state").asText()).isEqualTo("DIFFERENT");
                assertThat(report.path("missing").path("keys")).extracting(JsonNode::asText)
                        .containsExactlyInAnyOrderElementsOf(deleted);
                assertThat(report.path("ghosts").path("keys")).extracting(JsonNode::asText)
                        .containsExactlyInAnyOrderElementsOf(ghosts);
                assertThat(report.path("milvusRows").asLong()).isEqualTo(rows);

                HttpResponse<String> repair = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + taskId
                        + "/verifications/" + found + "/repair"), "");
                assertThat(repair.statusCode()).as(repair.body()).isEqualTo(202);
                await("repair").atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> "DONE".equals(verification(taskId, found).path("repairState").asText()));
                await("the repair in Milvus").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions().until(() -> client.count(taskId) == rows && client.milvus.query(
                                QueryReq.builder().collectionName(taskId).filter("pk in [\"" + String.join("\", \"", deleted)
                                        + "\"]").outputFields(List.of("pk")).consistencyLevel(ConsistencyLevel.STRONG)
                                        .build()).getQueryResults().size() == deleted.size());
                long last = startVerification(taskId);
                JsonNode equal = awaitVerification(taskId, last, Duration.ofMinutes(30));
                assertThat(equal.path("state").asText()).as(equal.path("report").toString())
                        .isEqualTo("EQUAL");

                System.out.printf("BENCHMARK verification of %d rows: snapshot + automatic verification %.1f s; "
                        + "verifications alone (both key sets, digests, differing buckets listed, sample of 100): "
                        + "first %.1f s, with differences %.1f s, after repair %.1f s = %.0f rows/s%n", rows,
                        snapshotAndVerify, seconds(first), seconds(differences), seconds(equal), rows / seconds(equal));
                System.out.println("BENCHMARK peak resident memory (VmHWM): " + SuiteProcesses.peakMemory(
                        List.of("log-listener", "data-process", "milvus-sync", "task-manager", "milvus")));
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    private static String definition(E2eTable source, String taskId) {
        return """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s,
                 "tables": [{"table": "verify_scale"}],
                 "target": {"collection": "%s", "primaryKeyField": "pk", "scalarFields": [{"name": "a", "type": "INT64"}],
                            "vectors": [{"name": "features", "dimension": 2, "metric": "L2", "indexType": "AUTOINDEX",
                                         "embedding": {"provider": "numeric", "model": "features", "template": "{a}|{b}",
                                                       "options": {"normalization": "none", "features": "2"}}}]}}
                """.formatted(taskId, source.sourceJson(), taskId);
    }

    private static double seconds(JsonNode verification) {
        return Duration.between(Instant.parse(verification.path("startedAt").asText()),
                Instant.parse(verification.path("endedAt").asText())).toMillis() / 1e3;
    }

    private static long startVerification(String taskId) throws Exception {
        HttpResponse<String> started = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + taskId
                + "/verifications"), "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return JSON.readTree(started.body()).path("id").asLong();
    }

    /** The verification with this id (0: the task's newest) once it has ended. */
    private static JsonNode awaitVerification(String taskId, long id, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await("verification").atMost(atMost).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
            JsonNode list = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId
                    + "/verifications")).body());
            for (JsonNode v : list) {
                if ((id == 0 || v.path("id").asLong() == id) && !"RUNNING".equals(v.path("state").asText())) {
                    last[0] = v;
                    return true;
                }
            }
            return false;
        });
        return last[0];
    }

    private static JsonNode verification(String taskId, long id) throws Exception {
        return JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId + "/verifications/"
                + id)).body());
    }
}
