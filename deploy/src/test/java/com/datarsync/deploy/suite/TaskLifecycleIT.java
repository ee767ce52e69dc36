package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A task's whole life through the task API, on PostgreSQL: create, start, status (snapshot
 * percent, rows/s, lag), pause, resume, restart, stop, start again, delete. Each action is
 * checked where it acts: in every stage's own worker endpoint, in Redis (Debezium's offsets), in
 * PostgreSQL (the replication slot), in Kafka (topics and consumer groups) and in Milvus.
 */
class TaskLifecycleIT extends RunningSuite {

    private static final int SEEDED = 400;
    private static final List<String> STAGES = List.of("log-listener", "data-process", "milvus-sync");

    private final PostgresE2eTable table = new PostgresE2eTable();

    @Test
    void eachActionDoesWhatItSaysInEveryStageAndDeleteRemovesWhatTheTaskCreated() throws Exception {
        String id = "life_" + runId();
        LocalInfra infra = LocalInfra.get();
        Config redisConfig = new Config();
        redisConfig.useSingleServer().setAddress(infra.redisUri()).setPassword(infra.redisPassword());
        RedissonClient redis = Redisson.create(redisConfig);
        try (DataPathClient client = new DataPathClient();
             Admin kafka = Admin.create(infra.kafkaClient(Map.of()))) {
            try {
                table.recreate();
                table.seed(SEEDED);
                client.startTask(table.definition(id, id));

                // Status while and after the snapshot: percent of the source's estimate, then 100.
                List<Double> percents = new ArrayList<>();
                JsonNode status = awaitStatus(client, id, s -> {
                    percents.add(s.path("snapshot").path("percent").asDouble());
                    return "RUNNING".equals(s.path("state").asText()) && s.path("snapshot").has("completedAt");
                });
                client.awaitMirror(table, id, "after the snapshot");
                status = client.taskStatus(id);
                assertThat(status.path("snapshot").path("rowsRead").asLong()).isEqualTo(SEEDED);
                assertThat(status.path("snapshot").path("rowsEstimate").asLong()).isPositive();
                assertThat(status.path("snapshot").path("percent").asDouble()).isEqualTo(100.0);
                assertThat(percents).allSatisfy(p -> assertThat(p).isBetween(0.0, 100.0));
                assertThat(stagesHolding(id)).containsExactlyInAnyOrderElementsOf(STAGES);
                assertThat(status.path("stages")).allSatisfy(s -> {
                    assertThat(s.path("generation").asLong()).isEqualTo(1);
                    assertThat(s.path("state").asText()).isEqualTo("RUNNING");
                    assertThat(s.has("heartbeatAt")).isTrue();
                });
                assertThat(hasSlot(id)).isTrue();
                assertThat(redis.getKeys().countExists("datarsync:debezium:offsets:" + id)).isEqualTo(1);

                // Streaming: rows/s is measured from what reaches Milvus; once all is in, the lag is
                // the age of the last heartbeat through the pipeline, a few seconds at most.
                table.change(150);
                JsonNode moving = awaitStatus(client, id, s -> s.path("rowsPerSecond").asDouble() > 0);
                assertThat(moving.path("rowsPerSecond").asDouble()).isPositive();
                client.awaitMirror(table, id, "after 150 changes");
                JsonNode settled = awaitStatus(client, id, s -> s.path("pendingRecords").asLong() == 0);
                assertThat(settled.path("lagMs").asLong()).isBetween(0L, 5_000L);
                JsonNode run = settled.path("run");
                assertThat(run.path("rowsSnapshotted").asLong()).isEqualTo(SEEDED);
                assertThat(run.path("rowsInserted").asLong() + run.path("rowsUpdated").asLong()
                        + run.path("rowsDeleted").asLong()).as("streamed changes counted in the run")
                        .isGreaterThanOrEqualTo(150);

                // Pause: every stage lets go; the slot and the offsets stay; changes wait in the WAL.
                assertThat(client.action(id, "pause").statusCode()).isEqualTo(200);
                awaitStatus(client, id, s -> "PAUSED".equals(s.path("state").asText()));
                assertThat(stagesHolding(id)).isEmpty();
                assertThat(hasSlot(id)).isTrue();
                assertThat(redis.getKeys().countExists("datarsync:debezium:offsets:" + id)).isEqualTo(1);
                long runId = run.path("id").asLong();
                table.change(40);

                // Resume: the same run goes on and the changes made while paused arrive.
                assertThat(client.action(id, "resume").statusCode()).isEqualTo(200);
                client.awaitMirror(table, id, "after resuming");
                assertThat(client.taskStatus(id).path("run").path("id").asLong()).isEqualTo(runId);
                assertThat(stagesHolding(id)).containsExactlyInAnyOrderElementsOf(STAGES);

                // Restart: every stage runs generation 2, in a new run, without a second snapshot.
                assertThat(client.action(id, "restart").statusCode()).isEqualTo(200);
                awaitStatus(client, id, s -> "RUNNING".equals(s.path("state").asText())
                        && s.path("stages").size() == 3 && allGeneration(s, 2));
                table.change(30);
                client.awaitMirror(table, id, "after the restart");
                JsonNode runs = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + id + "/runs")).body());
                assertThat(runs).hasSize(2);
                assertThat(runs.get(0).path("generation").asLong()).isEqualTo(2);
                assertThat(runs.get(1).path("outcome").asText()).isEqualTo("STOPPED");

                // Update while running: a new generation; only the stages whose part changed restart.
                Map<String, String> startedBefore = startedAt(client, id);
                String excludeMore = table.definition(id, id).replace("\"excludeColumns\": [\"secret\"]",
                        "\"excludeColumns\": [\"secret\", \"no_such_column\"]");
                HttpResponse<String> updated = SuiteProcesses.put(SuiteProcesses.gateway("/api/tasks/" + id),
                        "{\"definition\": " + excludeMore + "}");
                assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
                assertThat(JSON.readTree(updated.body()).path("generation").asLong()).isEqualTo(3);
                awaitStatus(client, id, s -> "RUNNING".equals(s.path("state").asText()) && allGeneration(s, 3));
                Map<String, String> startedAfter = startedAt(client, id);
                assertThat(startedAfter.get("milvus-sync")).as("milvus-sync adopts: the target did not change")
                        .isEqualTo(startedBefore.get("milvus-sync"));
                assertThat(startedAfter.get("log-listener")).as("the listener restarts: its tables changed")
                        .isNotEqualTo(startedBefore.get("log-listener"));
                assertThat(startedAfter.get("data-process")).isNotEqualTo(startedBefore.get("data-process"));
                table.change(10);
                client.awaitMirror(table, id, "after the update");
                // Another model for the same vector field would mix two models' vectors: refused.
                HttpResponse<String> otherModel = SuiteProcesses.put(SuiteProcesses.gateway("/api/tasks/" + id),
                        "{\"definition\": " + excludeMore.replace("all-minilm-l6-v2", "bge-small-zh-v1.5")
                                .replace("\"dimension\": 384", "\"dimension\": 512") + "}");
                assertThat(otherModel.statusCode()).isEqualTo(409);
                assertThat(JSON.readTree(otherModel.body()).path("message").asText())
                        .startsWith("target.vectors[0].embedding.model: field 'embedding' holds vectors of "
                                + "onnx-local/all-minilm-l6-v2");

                // Stop: every stage lets go and the run ends; a start resumes from the stored offsets.
                assertThat(client.action(id, "stop").statusCode()).isEqualTo(200);
                awaitStatus(client, id, s -> "STOPPED".equals(s.path("state").asText()));
                assertThat(stagesHolding(id)).isEmpty();
                assertThat(client.taskStatus(id).path("run").path("outcome").asText()).isEqualTo("STOPPED");
                // The lifecycle's rules (docs/tasks.md, "Lifecycle"): a stopped task is not paused,
                // resumed or restarted (409, naming what to do instead); a second stop changes nothing.
                for (String refused : List.of("pause", "resume", "restart")) {
                    HttpResponse<String> answer = client.action(id, refused);
                    assertThat(answer.statusCode()).as(refused + ": " + answer.body()).isEqualTo(409);
                    assertThat(JSON.readTree(answer.body()).path("message").asText()).as(refused)
                            .contains("cannot " + refused).contains("STOPPED");
                }
                HttpResponse<String> again = client.action(id, "stop");
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(again.body()).path("state").asText()).isEqualTo("STOPPED");
                assertThat(texts(JSON.readTree(again.body()).path("allowedActions")))
                        .containsExactly("start", "full-sync", "delete");
                table.change(30);
                assertThat(client.action(id, "start").statusCode()).isEqualTo(200);
                client.awaitMirror(table, id, "after stop and start");
                assertThat(TaskTopics.operationsInChangeTopic(id).get("r")).as("one snapshot only")
                        .isEqualTo(SEEDED);
                JsonNode log = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + id + "/runs/"
                        + runId + "/log")).body());
                assertThat(log.findValuesAsText("message")).anyMatch(m -> m.startsWith("Snapshot completed"))
                        .anyMatch(m -> m.startsWith("Paused")).anyMatch(m -> m.equals("Resumed"));

                // Delete: released everywhere, and what the task created is gone.
                HttpResponse<String> deleted = client.deleteTask(id, true);
                assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
                assertThat(JSON.readTree(deleted.body()).path("removed").toString())
                        .contains("replication slot drs_" + id).contains("topic rsync.changes." + id);
                assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + id)).statusCode()).isEqualTo(404);
                assertThat(stagesHolding(id)).isEmpty();
                assertThat(hasSlot(id)).as("replication slot").isFalse();
                assertThat(hasPublication(id)).as("publication").isFalse();
                assertThat(redis.getKeys().countExists("datarsync:debezium:offsets:" + id,
                        "datarsync:debezium:schema-history:" + id)).isZero();
                Set<String> topics = kafka.listTopics().names().get(15, TimeUnit.SECONDS);
                assertThat(topics).doesNotContain("rsync.changes." + id, "rsync.vectors." + id, "rsync.dlq." + id);
                assertThat(kafka.listConsumerGroups().all().get(15, TimeUnit.SECONDS).stream()
                        .map(ConsumerGroupListing::groupId)).doesNotContain("datarsync-process-" + id,
                        "datarsync-milvus-" + id);
                assertThat(client.milvus.hasCollection(HasCollectionReq.builder().collectionName(id).build())).isFalse();
            } finally {
                client.deleteTask(id, true);
                table.dropCaptureState(id);
                redis.shutdown();
            }
        }
    }

    /** The stages whose own worker endpoint says they hold the task. */
    private static List<String> stagesHolding(String taskId) {
        List<String> holding = new ArrayList<>();
        for (List<String> stage : SuiteProcesses.STAGES) {
            if (SuiteProcesses.get(SuiteProcesses.direct(stage.get(1), "/internal/stage/tasks/" + taskId))
                    .statusCode() == 200) {
                holding.add(stage.get(1));
            }
        }
        return holding;
    }

    /** stage -> when its current work on the task started. */
    private static Map<String, String> startedAt(DataPathClient client, String id) {
        Map<String, String> out = new java.util.HashMap<>();
        client.taskStatus(id).path("stages").forEach(s -> out.put(s.path("stage").asText(), s.path("startedAt").asText()));
        return out;
    }

    private static boolean allGeneration(JsonNode status, long generation) {
        for (JsonNode s : status.path("stages")) {
            if (s.path("generation").asLong() != generation || !"RUNNING".equals(s.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private boolean hasSlot(String taskId) throws Exception {
        return exists("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", "drs_" + taskId);
    }

    private boolean hasPublication(String taskId) throws Exception {
        return exists("SELECT 1 FROM pg_publication WHERE pubname = ?", "drs_" + taskId);
    }

    private boolean exists(String sql, String name) throws Exception {
        LocalInfra infra = LocalInfra.get();
        try (Connection c = DriverManager.getConnection(infra.postgresUrl(infra.value("DATARSYNC_DEMO_DB")),
                infra.pgUser(), infra.pgPassword()); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, name);
            try (ResultSet r = q.executeQuery()) {
                return r.next();
            }
        }
    }

    private static JsonNode awaitStatus(DataPathClient client, String id, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                last[0] = client.taskStatus(id);
                return condition.test(last[0]);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("task " + id + " never reached the expected status; last: " + last[0], e);
        }
        return last[0];
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
