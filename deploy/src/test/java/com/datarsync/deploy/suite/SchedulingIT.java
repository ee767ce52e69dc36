package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scheduling, dependencies and priorities: an XXL-Job admin (a local stub of its side of the
 * protocol) drives the embedded executor over HTTP; the built-in scheduler fires a cron task
 * without an admin; a dependent task waits for its upstream's snapshot; with one snapshot slot,
 * queued tasks start by priority.
 */
class SchedulingIT extends RunningSuite {

    private static final int SECOND_PORT = 18086;
    private static final int SECOND_EXECUTOR_PORT = SECOND_PORT + 1000;

    private final MariaDbE2eTable source = new MariaDbE2eTable();

    /** A FULL task over a fresh table of {@code rows} rows. */
    private String fullTask(String id, int rows) throws Exception {
        source.create(id, "CREATE TABLE " + id + " (id INT PRIMARY KEY, title VARCHAR(200), body TEXT)");
        try (var db = source.connect(); var insert = db.prepareStatement("INSERT INTO " + id + " VALUES (?, ?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                insert.setInt(1, i);
                insert.setString(2, "title " + i + " " + id);
                insert.setString(3, "body of row " + i);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return source.definitionFor(id, id, List.of("title", "content"))
                .replace("\"FULL_AND_INCREMENTAL\"", "\"FULL\"");
    }

    private static String createRequest(String definition, String extra) {
        return "{" + extra + "\"definition\": " + definition + "}";
    }

    @Test
    void anXxlJobAdminDrivesTheExecutorAndSeesAFullSyncRunHappenAndFinish() throws Exception {
        String id = "xxl_" + runId();
        String token = LocalInfra.get().value("DATARSYNC_XXL_JOB_TOKEN");
        List<JsonNode> registrations = Collections.synchronizedList(new ArrayList<>());
        List<JsonNode> callbacks = Collections.synchronizedList(new ArrayList<>());
        HttpServer admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // The admin's side of the protocol: it checks the token and records what the executor says.
        admin.createContext("/xxl-job-admin/api/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean tokenOk = token.equals(exchange.getRequestHeaders().getFirst("XXL-JOB-ACCESS-TOKEN"));
            String path = exchange.getRequestURI().getPath();
            if (tokenOk && path.endsWith("/registry")) {
                registrations.add(JSON.readTree(body));
            } else if (tokenOk && path.endsWith("/callback")) {
                JSON.readTree(body).forEach(callbacks::add);
            }
            byte[] answer = (tokenOk ? "{\"code\":200,\"msg\":null}" : "{\"code\":500,\"msg\":\"The access token is wrong.\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        admin.start();
        try (DataPathClient client = new DataPathClient()) {
            try {
                SuiteProcesses.instance("start", "task-manager", SECOND_PORT, Map.of("DATARSYNC_XXL_JOB_ADMIN",
                        "http://127.0.0.1:" + admin.getAddress().getPort() + "/xxl-job-admin"));
                await("the executor registers with the admin").atMost(Duration.ofMinutes(1))
                        .until(() -> !registrations.isEmpty());
                assertThat(registrations.get(0).path("registryGroup").asText()).isEqualTo("EXECUTOR");
                assertThat(registrations.get(0).path("registryKey").asText()).isEqualTo("data-rsync-task-manager");
                assertThat(registrations.get(0).path("registryValue").asText()).contains(":" + SECOND_EXECUTOR_PORT);

                client.createTask(fullTask(id, 12));
                assertThat(executor("/beat", token, "{}").path("code").asInt()).isEqualTo(200);
                assertThat(executor("/beat", "not-the-token", "{}").path("msg").asText())
                        .isEqualTo("The access token is wrong.");
                assertThat(executor("/idleBeat", token, "{\"jobId\": 7}").path("code").asInt()).isEqualTo(200);

                long logId = System.currentTimeMillis() % 1_000_000;
                long logTime = System.currentTimeMillis();
                JsonNode run = executor("/run", token, """
                        {"jobId": 7, "executorHandler": "datarsyncFullSync", "executorParams": "%s",
                         "executorBlockStrategy": "SERIAL_EXECUTION", "executorTimeout": 0, "logId": %d,
                         "logDateTime": %d, "glueType": "BEAN", "glueSource": "", "glueUpdatetime": 0,
                         "broadcastIndex": 0, "broadcastTotal": 1}""".formatted(id, logId, logTime));
                assertThat(run.path("code").asInt()).as(run.toString()).isEqualTo(200);

                await("the executor calls back with the outcome").atMost(Duration.ofMinutes(3))
                        .until(() -> callbacks.stream().anyMatch(c -> c.path("logId").asLong() == logId));
                JsonNode callback = callbacks.stream().filter(c -> c.path("logId").asLong() == logId).findFirst()
                        .orElseThrow();
                assertThat(callback.path("handleCode").asInt()).as(callback.toString()).isEqualTo(200);
                assertThat(callback.path("handleMsg").asText()).startsWith("Snapshot completed: 12 rows read");

                JsonNode runs = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + id + "/runs"))
                        .body());
                assertThat(runs).hasSize(1);
                assertThat(runs.get(0).path("trigger").asText()).isEqualTo("SCHEDULE");
                await().atMost(Duration.ofMinutes(1)).until(() -> "SUCCEEDED".equals(JSON.readTree(SuiteProcesses.get(
                        SuiteProcesses.gateway("/api/tasks/" + id + "/runs")).body()).get(0).path("outcome").asText()));
                assertThat(client.count(id)).isEqualTo(12);

                JsonNode log = executor("/log", token, "{\"logDateTim\": %d, \"logId\": %d, \"fromLineNum\": 1}"
                        .formatted(logTime, logId));
                assertThat(log.path("data").path("logContent").asText()).contains("Full sync of task " + id)
                        .contains("Snapshot completed: 12 rows read");
            } finally {
                SuiteProcesses.instance("stop", "task-manager", SECOND_PORT);
                admin.stop(0);
                client.deleteTask(id, true);
            }
        }
    }

    @Test
    void theBuiltInSchedulerFiresACronTaskWithoutAnAdmin() throws Exception {
        String id = "cron_" + runId();
        try (DataPathClient client = new DataPathClient()) {
            try {
                HttpResponse<String> created = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks"),
                        createRequest(fullTask(id, 7), "\"schedule\": \"*/10 * * * * *\", "));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

                await("a scheduled full sync ran to its end").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            JsonNode runs = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + id
                                    + "/runs")).body());
                            return runs.size() > 0 && "SCHEDULE".equals(runs.get(runs.size() - 1).path("trigger").asText())
                                    && "SUCCEEDED".equals(runs.get(runs.size() - 1).path("outcome").asText());
                        });
                assertThat(client.count(id)).isEqualTo(7);
            } finally {
                SuiteProcesses.put(SuiteProcesses.gateway("/api/tasks/" + id), "{\"schedule\": \"\"}");
                client.deleteTask(id, true);
            }
        }
    }

    @Test
    void aDependentTaskStartsOnlyAfterItsUpstreamSnapshotCompleted() throws Exception {
        String run = runId();
        String upstream = "up_" + run;
        String downstream = "down_" + run;
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.createTask(fullTask(upstream, 300).replace("\"FULL\"", "\"FULL_AND_INCREMENTAL\""));
                HttpResponse<String> created = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks"),
                        createRequest(fullTask(downstream, 5), "\"dependsOn\": [\"" + upstream + "\"], "));
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                // No cycles: the upstream cannot depend on its downstream.
                HttpResponse<String> cycle = SuiteProcesses.put(SuiteProcesses.gateway("/api/tasks/" + upstream),
                        "{\"dependsOn\": [\"" + downstream + "\"]}");
                assertThat(cycle.statusCode()).isEqualTo(400);
                assertThat(cycle.body()).contains("cycle").contains(upstream + " -> " + downstream + " -> " + upstream);

                assertThat(client.action(downstream, "start").statusCode()).isEqualTo(200);
                JsonNode waiting = client.taskStatus(downstream);
                assertThat(waiting.path("state").asText()).isEqualTo("WAITING");
                assertThat(waiting.path("message").asText()).isEqualTo("waiting for the snapshot of " + upstream);
                JsonNode queue = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/queue/snapshots"))
                        .body());
                assertThat(queue.findValuesAsText("id")).contains(downstream);
                Thread.sleep(5_000);
                assertThat(client.taskStatus(downstream).path("stages")).as("nothing runs it yet").isEmpty();

                assertThat(client.action(upstream, "start").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(downstream) == 5);
                Instant upstreamDone = Instant.parse(JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway(
                        "/api/tasks/" + upstream)).body()).path("snapshotCompletedAt").asText());
                JsonNode listener = client.status("log-listener", downstream);
                assertThat(Instant.parse(listener.path("startedAt").asText())).isAfterOrEqualTo(upstreamDone);
                JsonNode runs = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + downstream
                        + "/runs")).body());
                assertThat(runs.get(0).path("trigger").asText()).isEqualTo("DEPENDENCY");
            } finally {
                client.deleteTask(downstream, true);
                client.deleteTask(upstream, true);
            }
        }
    }

    @Test
    void withOneSnapshotSlotQueuedTasksStartByPriorityThenAge() throws Exception {
        String run = runId();
        String blocker = "slot_" + run;
        // Started in this order; they must take the slot as high (5), middle (3), low (1).
        List<String> started = List.of("low_" + run, "high_" + run, "mid_" + run);
        Map<String, Integer> priority = Map.of(started.get(0), 1, started.get(1), 5, started.get(2), 3);
        int mainPort = LocalInfra.get().port("task-manager");
        try (DataPathClient client = new DataPathClient()) {
            try {
                // A task manager with one snapshot slot leads while the suite's own one is stopped.
                SuiteProcesses.stop("task-manager");
                SuiteProcesses.instance("start", "task-manager", SECOND_PORT, Map.of("DATARSYNC_MAX_SNAPSHOTS", "1"));
                await("the one-slot task manager leads").atMost(Duration.ofMinutes(1)).until(() -> JSON.readTree(
                        SuiteProcesses.get(URI.create("http://127.0.0.1:" + SECOND_PORT + "/actuator/info")).body())
                        .path("supervisor").path("leading").asBoolean());

                client.createTask(fullTask(blocker, 600));
                for (String id : started) {
                    HttpResponse<String> created = SuiteProcesses.post(api("/api/tasks"), createRequest(fullTask(id, 20),
                            "\"priority\": " + priority.get(id) + ", "));
                    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                }
                assertThat(SuiteProcesses.post(api("/api/tasks/" + blocker + "/start"), "").statusCode()).isEqualTo(200);
                for (String id : started) {
                    assertThat(SuiteProcesses.post(api("/api/tasks/" + id + "/start"), "").statusCode()).isEqualTo(200);
                }
                JsonNode queue = JSON.readTree(SuiteProcesses.get(api("/api/tasks/queue/snapshots")).body());
                assertThat(queue.findValuesAsText("id")).containsSubsequence(started.get(1), started.get(2),
                        started.get(0));
                assertThat(queue.findValuesAsText("state")).containsOnly("QUEUED");

                List<String> order = List.of(blocker, started.get(1), started.get(2), started.get(0));
                await("every snapshot completed").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> order.stream().allMatch(id -> completedAt(id) != null));
                for (int i = 1; i < order.size(); i++) {
                    Instant previousDone = completedAt(order.get(i - 1));
                    Instant started_ = listenerStart(order.get(i));
                    assertThat(started_).as(order.get(i) + " started after " + order.get(i - 1) + "'s snapshot")
                            .isAfterOrEqualTo(previousDone);
                    assertThat(completedAt(order.get(i))).isAfter(previousDone);
                }
            } finally {
                SuiteProcesses.start("task-manager");
                SuiteProcesses.instance("stop", "task-manager", SECOND_PORT);
                client.deleteTask(blocker, true);
                for (String id : started) {
                    client.deleteTask(id, true);
                }
            }
        }
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + SECOND_PORT + path);
    }

    private static Instant completedAt(String id) {
        try {
            String at = JSON.readTree(SuiteProcesses.get(api("/api/tasks/" + id)).body()).path("snapshotCompletedAt")
                    .asText();
            return at.isEmpty() ? null : Instant.parse(at);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** When the task's current listener work began: the first assignment of its run, in its run log. */
    private static Instant listenerStart(String id) throws IOException {
        JsonNode runs = JSON.readTree(SuiteProcesses.get(api("/api/tasks/" + id + "/runs")).body());
        JsonNode log = JSON.readTree(SuiteProcesses.get(api("/api/tasks/" + id + "/runs/" + runs.get(0).path("id").asLong()
                + "/log")).body());
        for (JsonNode line : log) {
            if (line.path("message").asText().startsWith("Assigned generation") && line.path("message").asText()
                    .contains("log-listener")) {
                return Instant.parse(line.path("at").asText());
            }
        }
        throw new AssertionError("task " + id + " never assigned its listener: " + log);
    }

    private static JsonNode executor(String path, String token, String body) throws IOException {
        HttpResponse<String> answer = SuiteProcesses.send(URI.create("http://127.0.0.1:" + SECOND_EXECUTOR_PORT + path),
                token, body);
        return JSON.readTree(answer.body());
    }
}
