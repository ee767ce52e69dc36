package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Verification and repair (docs/tasks.md, "Verification"). After the snapshot the automatic
 * verification compares every row of the end-to-end table (the sample covers them all) field by
 * field and vector by vector: finding nothing proves the listener's JDBC reading gives every
 * column type exactly as the capture does. Then, behind the product's back, one entity is deleted
 * from Milvus, one is changed (title and vector) and a ghost is inserted; a verification must name
 * exactly those three, and its repair must make Milvus equal to the source again, checked here
 * against the source and the independent reference model, not the product's own report.
 */
class VerificationIT extends RunningSuite {

    private static final Gson GSON = new Gson();

    @Test
    void mariaDbDifferencesAreFoundAndRepaired() throws Exception {
        verifyAndRepair(new MariaDbE2eTable(), "999999");
    }

    @Test
    void postgresDifferencesAreFoundAndRepaired() throws Exception {
        // A composite key (tenant, id): the row key is "tenant|id".
        verifyAndRepair(new PostgresE2eTable(), "7|999999");
    }

    private void verifyAndRepair(E2eTable source, String ghostKey) throws Exception {
        String taskId = "verify_" + source.kind() + "_" + runId();
        source.recreate();
        source.seed(40);
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.startTask(source.definition(taskId, taskId));
                client.awaitMirror(source, taskId, "after the snapshot");

                JsonNode automatic = awaitEnded(taskId, () -> list(taskId).findValues("trigger").stream()
                        .anyMatch(t -> t.asText().equals("FULL_SYNC")), "FULL_SYNC");
                Map<String, Map<String, Object>> expected = source.expectedEntities();
                assertThat(automatic.path("state").asText()).as(automatic.toString()).isEqualTo("EQUAL");
                assertThat(automatic.path("report").path("sourceTotal").asLong()).isEqualTo(expected.size());
                assertThat(automatic.path("report").path("sampled").asInt()).as("every row sampled")
                        .isEqualTo(expected.size());

                List<String> keys = new ArrayList<>(new TreeMap<>(expected).keySet());
                String deleted = keys.get(3);
                String modified = keys.get(7);
                Map<String, Map<String, Object>> held = client.entities(taskId, new ArrayList<>(E2eTable.FIELDS.keySet()));
                client.milvus.delete(DeleteReq.builder().collectionName(taskId).ids(List.of(deleted)).build());
                JsonObject changed = row(held.get(modified), modified);
                changed.addProperty("title", "changed behind the product's back");
                changed.add("embedding", vector(DataPathClient.reference("something else entirely")));
                JsonObject ghost = row(held.get(modified), ghostKey);
                client.milvus.upsert(UpsertReq.builder().collectionName(taskId).data(List.of(changed, ghost)).build());

                JsonNode found = awaitEnded(taskId, start(taskId), "manual");
                JsonNode report = found.path("report");
                assertThat(found.path("state").asText()).as(found.toString()).isEqualTo("DIFFERENT");
                assertThat(report.path("missing").path("keys")).extracting(JsonNode::asText).containsExactly(deleted);
                assertThat(report.path("ghosts").path("keys")).extracting(JsonNode::asText).containsExactly(ghostKey);
                assertThat(report.path("stale")).as(report.toString()).hasSize(1);
                JsonNode stale = report.path("stale").get(0);
                assertThat(stale.path("key").asText()).isEqualTo(modified);
                assertThat(stale.path("differences").toString()).contains("field 'title'").contains("vector 'embedding'");
                assertThat(report.path("sourceTotal").asLong()).isEqualTo(expected.size());
                assertThat(report.path("milvusRows").asLong()).isEqualTo(expected.size());

                long id = found.path("id").asLong();
                HttpResponse<String> repair = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + taskId
                        + "/verifications/" + id + "/repair"), "");
                assertThat(repair.statusCode()).as(repair.body()).isEqualTo(202);
                JsonNode repaired = awaitCondition(taskId, id, v -> !"RUNNING".equals(v.path("repairState").asText()));
                assertThat(repaired.path("repairState").asText()).as(repaired.toString()).isEqualTo("DONE");
                assertThat(repaired.path("repair").path("refreshed").asLong()).isEqualTo(2);
                assertThat(repaired.path("repair").path("deleted").asLong()).isEqualTo(1);

                client.awaitMirror(source, taskId, "after the repair");
                JsonNode again = awaitEnded(taskId, start(taskId), "after the repair");
                assertThat(again.path("state").asText()).as(again.toString()).isEqualTo("EQUAL");
            } finally {
                client.deleteTask(taskId, true);
                source.dropCaptureState(taskId);
            }
        }
    }

    /** An entity as Milvus rows are written: every field of the held entity, under another key. */
    private static JsonObject row(Map<String, Object> entity, String primaryKey) {
        JsonObject row = new JsonObject();
        entity.forEach((name, value) -> row.add(name, GSON.toJsonTree(value)));
        row.addProperty("pk", primaryKey);
        return row;
    }

    private static JsonArray vector(float[] values) {
        JsonArray out = new JsonArray(values.length);
        for (float v : values) {
            out.add(v);
        }
        return out;
    }

    private static java.util.concurrent.Callable<Boolean> start(String taskId) throws Exception {
        HttpResponse<String> started = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/" + taskId
                + "/verifications?sample=100"), "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long id = JSON.readTree(started.body()).path("id").asLong();
        return () -> list(taskId).findValues("id").stream().anyMatch(i -> i.asLong() == id)
                && latestId(taskId) == id;
    }

    /** Waits until the condition holds and the newest verification has ended; returns it. */
    private static JsonNode awaitEnded(String taskId, java.util.concurrent.Callable<Boolean> present, String which)
            throws Exception {
        await("verification " + which).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> present.call()
                        && !"RUNNING".equals(list(taskId).get(0).path("state").asText()));
        return list(taskId).get(0);
    }

    private static JsonNode awaitCondition(String taskId, long id, java.util.function.Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        await("verification " + id).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    last[0] = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId
                            + "/verifications/" + id)).body());
                    return done.test(last[0]);
                });
        return last[0];
    }

    private static long latestId(String taskId) throws Exception {
        return list(taskId).get(0).path("id").asLong();
    }

    private static JsonNode list(String taskId) throws Exception {
        HttpResponse<String> answer = SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId
                + "/verifications"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }
}
