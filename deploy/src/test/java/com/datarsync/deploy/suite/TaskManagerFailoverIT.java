package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two task-manager instances side by side: exactly one leads, each task is driven by one of
 * them at a time (the stages see no competing assignments), either instance's API acts on any
 * task, and when the leader is killed the other takes over and repairs what breaks meanwhile.
 */
class TaskManagerFailoverIT extends RunningSuite {

    private static final int SECOND_PORT = 18086;

    @Test
    void oneLeaderDrivesEachTaskAndTheOtherTakesOverWhenItDies() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String run = runId();
        List<String> tasks = List.of("pair_a_" + run, "pair_b_" + run);
        int mainPort = LocalInfra.get().port("task-manager");
        try (DataPathClient client = new DataPathClient()) {
            try {
                SuiteProcesses.instance("start", "task-manager", SECOND_PORT);
                await("exactly one leader").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> leaders(mainPort).size() == 1);

                for (String task : tasks) {
                    source.create(task, "CREATE TABLE " + task + " (id INT PRIMARY KEY, title VARCHAR(200), body TEXT)",
                            "INSERT INTO " + task + " VALUES (1, 'one', 'a'), (2, 'two', 'b')");
                    client.startTask(source.definitionFor(task, task, List.of("title", "content")));
                }
                for (String task : tasks) {
                    await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(task) == 2);
                }

                // Actions through either instance: a restart through the second, a pause and resume
                // through the first. Each lands once; the leader does not undo the other's work.
                assertThat(SuiteProcesses.post(URI.create("http://127.0.0.1:" + SECOND_PORT + "/api/tasks/"
                        + tasks.get(0) + "/restart"), "").statusCode()).isEqualTo(200);
                assertThat(SuiteProcesses.post(URI.create("http://127.0.0.1:" + mainPort + "/api/tasks/"
                        + tasks.get(1) + "/pause"), "").statusCode()).isEqualTo(200);
                assertThat(SuiteProcesses.post(URI.create("http://127.0.0.1:" + mainPort + "/api/tasks/"
                        + tasks.get(1) + "/resume"), "").statusCode()).isEqualTo(200);
                for (String task : tasks) {
                    await().atMost(Duration.ofMinutes(1)).until(() -> "RUNNING".equals(client.taskStatus(task)
                            .path("state").asText()) && client.taskStatus(task).path("stages").size() == 3);
                }

                // Watched for 20 s, every stage keeps the one assignment it has: nobody competes.
                Map<String, String> assignments = assignments(client, tasks);
                assertThat(assignments).hasSize(6);
                for (int i = 0; i < 10; i++) {
                    Thread.sleep(2_000);
                    assertThat(assignments(client, tasks)).as("assignments after %d s", 2 * (i + 1))
                            .isEqualTo(assignments);
                    assertThat(leaders(mainPort)).hasSize(1);
                }
                assertThat(assignments.get(tasks.get(0) + "/log-listener")).startsWith("2@");

                // The leader dies; the other instance takes over and repairs a stage crash.
                int leader = leaders(mainPort).get(0);
                if (leader == SECOND_PORT) {
                    SuiteProcesses.instance("kill", "task-manager", SECOND_PORT);
                } else {
                    SuiteProcesses.kill("task-manager");
                }
                int survivor = leader == SECOND_PORT ? mainPort : SECOND_PORT;
                await("the surviving instance leads").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> leading(survivor));
                SuiteProcesses.kill("data-process");
                try (Connection db = source.connect(); Statement sql = db.createStatement()) {
                    sql.execute("INSERT INTO " + tasks.get(1) + " VALUES (3, 'three', 'c')");
                }
                SuiteProcesses.start("data-process");
                await("the new leader gives data-process its tasks back").atMost(Duration.ofMinutes(2))
                        .ignoreExceptions().until(() -> client.count(tasks.get(1)) == 3);
                assertThat(client.entities(tasks.get(1), List.of("title")).get("3").get("title")).isEqualTo("three");
            } finally {
                SuiteProcesses.instance("stop", "task-manager", SECOND_PORT);
                SuiteProcesses.start("task-manager");
                for (String task : tasks) {
                    client.deleteTask(task, true);
                }
            }
        }
    }

    /** The ports of the task-manager instances that say they lead. */
    private static List<Integer> leaders(int mainPort) {
        List<Integer> out = new ArrayList<>();
        for (int port : List.of(mainPort, SECOND_PORT)) {
            if (leading(port)) {
                out.add(port);
            }
        }
        return out;
    }

    private static boolean leading(int port) {
        try {
            JsonNode info = JSON.readTree(SuiteProcesses.get(URI.create("http://127.0.0.1:" + port + "/actuator/info"))
                    .body());
            return info.path("supervisor").path("leading").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    /** task/stage -> "generation@startedAt" of what each stage runs. */
    private static Map<String, String> assignments(DataPathClient client, List<String> tasks) {
        Map<String, String> out = new HashMap<>();
        for (String task : tasks) {
            for (JsonNode s : client.taskStatus(task).path("stages")) {
                out.put(task + "/" + s.path("stage").asText(), s.path("generation").asText() + "@"
                        + s.path("startedAt").asText());
            }
        }
        return out;
    }
}
