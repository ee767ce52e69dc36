package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.quote;
import static com.datarsync.deploy.suite.AuthClient.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The console's data-source and task pages in a real browser against the running suite. A data
 * source is registered from the browser after its connection test, each check compared with what
 * the server itself reports, and its tables and columns browsed; a task's page shows its state,
 * a snapshot at 100 % and counters that move when a row changes in MariaDB, and a dead letter is
 * inspected and replayed into Milvus from it; a viewer sees the same pages without the buttons,
 * and the API refuses the viewer those actions.
 */
class ConsolePagesIT extends RunningSuite {

    @Test
    void aDataSourceIsRegisteredAfterItsConnectionTestAndBrowsed() throws Exception {
        String run = runId();
        String name = "console-" + run;
        MariaDbE2eTable source = new MariaDbE2eTable();
        source.create("console_browse", "CREATE TABLE console_browse (id INT PRIMARY KEY, title VARCHAR(100) NULL, "
                + "body TEXT NOT NULL)");
        // What the checks must say, asked of the server directly.
        Map<String, String> server = new HashMap<>();
        try (Connection c = source.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image")) {
            r.next();
            server.put("binlog-enabled", String.valueOf(r.getInt(1) == 1));
            server.put("binlog-format-ROW", String.valueOf("ROW".equals(r.getString(2))));
            server.put("binlog-row-image-FULL", String.valueOf("FULL".equals(r.getString(3))));
        }
        try (ConsoleBrowser browser = new ConsoleBrowser()) {
            browser.login("admin", AuthClient.adminPassword());
            browser.language("en");
            browser.page("/dataSources");
            browser.click("ds-create");
            browser.type("ds-form-name", name);
            browser.pick("ds-form-kind", "ds-kind-mariadb");
            browser.type("ds-form-host", "127.0.0.1");
            browser.type("ds-form-port", String.valueOf(source.port()));
            browser.type("ds-form-database", source.schema());
            browser.type("ds-form-username", source.user());

            browser.type("ds-form-password", "not-the-password-" + run);
            browser.click("ds-form-test");
            browser.byTest("ds-test-failed");
            browser.waitForAttribute("ds-check-reachable", "data-passed", "true");
            browser.waitForAttribute("ds-check-login", "data-passed", "false");

            browser.type("ds-form-password", source.password());
            browser.click("ds-form-test");
            browser.byTest("ds-test-ok");
            browser.waitForAttribute("ds-check-login", "data-passed", "true");
            server.forEach((check, passed) -> browser.waitForAttribute("ds-check-" + check, "data-passed", passed));
            browser.screenshot("data-source-test.en");
            browser.click("ds-form-save");
            browser.byTest("ds-row-" + name);

            JsonNode saved = registered(name);
            assertThat(saved.path("kind").asText()).isEqualTo("mariadb");
            assertThat(saved.path("port").asInt()).isEqualTo(source.port());
            assertThat(saved.path("database").asText()).isEqualTo(source.schema());
            assertThat(saved.path("username").asText()).isEqualTo(source.user());
            assertThat(saved.path("passwordStored").asBoolean()).isTrue();
            try {
                // The health round (10 s in the local suite) checks the new source too.
                browser.waitUntil(Duration.ofSeconds(60), d -> {
                    browser.click("ds-refresh");
                    return browser.text("ds-health-" + name).equals("Healthy");
                });
                browser.screenshot("data-sources.en");

                browser.click("ds-browse-" + name);
                browser.waitForText("ds-schema", source.schema());
                browser.click("ds-table-console_browse");
                browser.byTest("ds-column-body");
                List<String> columns = browser.driver().findElements(By.cssSelector("[data-test^='ds-column-']")).stream()
                        .map(e -> e.getText()).toList();
                assertThat(columns).containsExactly("id", "title", "body");
                assertThat(browser.shown("ds-pk-id")).isTrue();
                assertThat(browser.shown("ds-pk-title")).isFalse();
                browser.screenshot("data-source-browse.en");
                browser.driver().navigate().refresh();

                browser.language("zh-CN");
                browser.waitForText("ds-health-" + name, "健康");
                browser.screenshot("data-sources.zh-CN");
                browser.click("ds-test-" + name);
                browser.byTest("ds-test-ok");
                browser.screenshot("data-source-test.zh-CN");
            } finally {
                call("DELETE", SuiteProcesses.gateway("/api/datasources/" + saved.path("id").asLong()),
                        AdminSession.accessToken(), null);
            }
        }
    }

    @Test
    void aTaskPageShowsItsProgressAndReplaysADeadLetterWhichAViewerCannot() throws Exception {
        String run = runId();
        String taskId = "console_" + run;
        String table = "console_docs";
        String longBody = DeadLetterReplayIT.paragraph(taskId, 450);
        MariaDbE2eTable source = new MariaDbE2eTable();
        source.create(table, "CREATE TABLE " + table + " (id INT PRIMARY KEY, title VARCHAR(200), body TEXT) "
                + "CHARACTER SET utf8mb4");
        String viewer = "consoleviewer" + run;
        String viewerPassword = "Pw-viewer-" + run + "-X9z";
        long viewerId = -1;
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement sql = db.createStatement()) {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
                for (int id = 1; id <= 3; id++) {
                    ps.setInt(1, id);
                    ps.setString(2, "title " + id);
                    // Row 2 needs more chunks than the task allows (2): a dead letter.
                    ps.setString(3, id == 2 ? longBody : "a short body " + id + " " + taskId);
                    ps.executeUpdate();
                }
            }
            long sourceRows;
            try (ResultSet r = sql.executeQuery("SELECT count(*) FROM " + table)) {
                r.next();
                sourceRows = r.getLong(1);
            }
            try (ConsoleBrowser browser = new ConsoleBrowser()) {
                client.startTask(DeadLetterReplayIT.definition(source, taskId, table, 2));
                browser.login("admin", AuthClient.adminPassword());
                browser.language("en");
                browser.page("/tasks");
                browser.waitUntil(Duration.ofMinutes(2), d -> {
                    browser.click("task-refresh");
                    return browser.text("task-state-" + taskId).equals("Running")
                            && browser.text("task-snapshot-" + taskId).contains("100%");
                });
                browser.screenshot("tasks.en");

                browser.click("task-link-" + taskId);
                browser.waitForText("task-state", "Running");
                browser.waitForAttribute("task-rows-snapshotted", "data-value", String.valueOf(sourceRows));
                browser.waitUntil(Duration.ofMinutes(1), d -> browser.text("task-dead-letters").equals("1"));
                for (String stage : List.of("log-listener", "data-process", "milvus-sync")) {
                    browser.waitForText("stage-state-" + stage, "Running");
                }
                long updatedBefore = Long.parseLong(browser.byTest("task-rows-updated").getAttribute("data-value"));
                sql.execute("UPDATE " + table + " SET title = 'edited " + run + "' WHERE id = 1");
                browser.waitForAttribute("task-rows-updated", "data-value", String.valueOf(updatedBefore + 1));
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                        ("edited " + run).equals(DeadLetterReplayIT.rows(client, taskId).get("1").get(0).get("title")));
                browser.screenshot("task.en");
                // The lifecycle buttons are exactly the task's allowedActions (TaskLifecycle), as the API says.
                assertThat(lifecycleButtons(browser)).as("buttons on the page of a running task")
                        .isEqualTo(allowedActions(taskId));
                // The overview's charts: Prometheus sees rows of this task go into Milvus (a rate needs
                // two scrapes of a moving counter, so row 3 keeps changing meanwhile).
                int[] edits = {0};
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
                    sql.execute("UPDATE " + table + " SET title = 'moving " + (++edits[0]) + "' WHERE id = 3");
                    JsonNode series = JSON.readTree(call("GET", SuiteProcesses.gateway("/api/monitor/series?minutes=5"),
                            AdminSession.accessToken(), null).body());
                    for (JsonNode s : series.path("rowsPerSecond")) {
                        if (s.path("task").asText().equals(taskId)) {
                            for (JsonNode point : s.path("points")) {
                                if (point.get(1).asDouble() > 0) {
                                    return true;
                                }
                            }
                        }
                    }
                    return false;
                });

                // The letter's id, from the API, names its row on the page.
                String letterId = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId
                        + "/dead-letters")).body()).path("items").get(0).path("id").asText();
                browser.driver().findElement(By.id("tab-deadLetters")).click();
                browser.click("letter-inspect-" + letterId);
                browser.waitForText("letter-reason", "maxChunks");
                assertThat(browser.text("letter-payload")).contains(longBody.substring(0, 50));
                browser.screenshot("task-dead-letter.en");
                browser.driver().navigate().refresh();
                // The services' log lines about the task (its consumers' threads carry its id).
                browser.driver().findElement(By.id("tab-logs")).click();
                browser.waitUntil(Duration.ofSeconds(30), d -> browser.shown("task-log-milvus-sync")
                        && browser.shown("task-log-data-process"));
                browser.screenshot("task-logs.en");
                browser.driver().navigate().refresh();

                // A viewer (assigned the task's source) sees the task and its letter, not the buttons.
                HttpResponse<String> made = call("POST", SuiteProcesses.gateway("/api/auth/users"), AdminSession.accessToken(),
                        "{\"username\":" + quote(viewer) + ",\"password\":" + quote(viewerPassword)
                                + ",\"roles\":[\"VIEWER\"],\"dataSourceIds\":[" + source.dataSourceId() + "]}");
                assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
                viewerId = read(made.body()).get("id").asLong();
                browser.byTest("logout").click();
                browser.login(viewer, viewerPassword);
                browser.page("/tasks/" + taskId);
                browser.waitForText("task-state", "Running");
                browser.driver().findElement(By.id("tab-deadLetters")).click();
                browser.byTest("letter-inspect-" + letterId);
                assertThat(browser.shown("letter-replay-" + letterId)).as("a viewer has no replay button").isFalse();
                assertThat(browser.shown("letter-discard-" + letterId)).isFalse();
                assertThat(browser.shown("task-stop")).as("a viewer has no lifecycle buttons").isFalse();
                assertThat(browser.shown("task-pause")).isFalse();
                browser.page("/dataSources");
                browser.byTest("ds-row-e2e-mariadb");
                assertThat(browser.shown("ds-create")).as("a viewer registers no data source").isFalse();
                assertThat(browser.shown("ds-edit-e2e-mariadb")).isFalse();
                String viewerToken = AuthClient.tokens(viewer, viewerPassword).get("accessToken").asText();
                assertThat(call("POST", SuiteProcesses.gateway("/api/tasks/" + taskId + "/dead-letters/" + letterId + "/replay"),
                        viewerToken, null).statusCode()).as("the API refuses the viewer a replay").isEqualTo(403);
                assertThat(call("POST", SuiteProcesses.gateway("/api/tasks/" + taskId + "/stop"), viewerToken, null)
                        .statusCode()).isEqualTo(403);
                browser.byTest("logout").click();

                // The operator's fix (room for more chunks), then the replay from the task's page.
                HttpResponse<String> updated = SuiteProcesses.put(SuiteProcesses.gateway("/api/tasks/" + taskId),
                        "{\"definition\": " + DeadLetterReplayIT.definition(source, taskId, table, 8) + "}");
                assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
                    JsonNode status = client.taskStatus(taskId);
                    return "RUNNING".equals(status.path("state").asText()) && DeadLetterReplayIT.allGeneration(status, 2);
                });
                browser.login("admin", AuthClient.adminPassword());
                browser.page("/tasks/" + taskId);
                browser.waitForText("task-state", "Running");
                browser.driver().findElement(By.id("tab-deadLetters")).click();
                browser.click("letter-replay-" + letterId);
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                        DeadLetterReplayIT.rows(client, taskId).containsKey("2"));
                // Its chunks (which may overlap) are pieces of the body that cover it.
                int covered = 0;
                for (Map<String, Object> chunk : DeadLetterReplayIT.rows(client, taskId).get("2")) {
                    assertThat(longBody).contains((String) chunk.get("chunk"));
                    covered += ((String) chunk.get("chunk")).length();
                }
                assertThat(covered).isGreaterThanOrEqualTo(longBody.length());
                browser.waitForText("task-dead-letters", "0");
                assertThat(browser.shown("letter-inspect-" + letterId)).isFalse();

                // Rate limits, changed on the running task from its page: stored, and applied by the stages.
                browser.waitForText("task-limits", "None");
                browser.click("task-limits-edit");
                browser.type("limits-events", "300");
                browser.type("limits-texts-onnx-local", "1000");
                browser.click("limits-save");
                browser.waitForText("task-limits", "300 events/s · onnx-local 1000 texts/s");
                browser.screenshot("task-limits.en");
                JsonNode limits = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId)).body())
                        .path("definition").path("limits");
                assertThat(limits.path("eventsPerSecond").asInt()).isEqualTo(300);
                assertThat(limits.path("embeddingTextsPerSecond").path("onnx-local").asInt()).isEqualTo(1000);
                assertThat(limits.has("milvusEntitiesPerSecond")).isFalse();
                await("the stages apply the limits").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                        client.status("log-listener", taskId).path("counters").path("limit.eventsPerSecond").asLong() == 300
                                && client.status("data-process", taskId).path("counters")
                                        .path("limit.embeddingTextsPerSecond.onnx-local").asLong() == 1000);
                // A rate the API refuses leaves the limits as they were.
                browser.click("task-limits-edit");
                browser.type("limits-events", "0");
                browser.click("limits-save");
                browser.waitUntil(Duration.ofSeconds(10), d -> browser.driver().getPageSource()
                        .contains("limits.eventsPerSecond"));
                assertThat(JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId)).body())
                        .path("definition").path("limits").path("eventsPerSecond").asInt()).isEqualTo(300);
                // Blank lifts them.
                browser.waitUntil(Duration.ofSeconds(10), d -> !browser.byTest("limits-save").getAttribute("class")
                        .contains("is-loading"));
                browser.type("limits-events", "");
                browser.type("limits-texts-onnx-local", "");
                browser.click("limits-save");
                browser.waitForText("task-limits", "None");
                assertThat(JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId)).body())
                        .path("definition").has("limits")).isFalse();

                browser.language("zh-CN");
                browser.waitForText("task-state", "运行中");
                browser.waitForText("task-limits", "无");
                browser.screenshot("task.zh-CN");
                browser.page("/tasks");
                browser.waitForText("task-state-" + taskId, "运行中");
                browser.screenshot("tasks.zh-CN");
            } finally {
                client.deleteTask(taskId, true);
                if (viewerId > 0) {
                    call("DELETE", SuiteProcesses.gateway("/api/auth/users/" + viewerId), AdminSession.accessToken(), null);
                }
            }
        }
    }

    private static JsonNode registered(String name) throws Exception {
        for (JsonNode source : JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/datasources")).body())) {
            if (source.path("name").asText().equals(name)) {
                assertThat(source.has("password")).isFalse();
                return source;
            }
        }
        throw new AssertionError("data source " + name + " is not registered");
    }

    /** The task page's lifecycle buttons, by the API name of their command (fullSync is full-sync). */
    static java.util.Set<String> lifecycleButtons(ConsoleBrowser browser) {
        java.util.Set<String> shown = new java.util.TreeSet<>();
        for (String action : List.of("start", "pause", "resume", "stop", "restart", "fullSync", "resnapshot", "delete")) {
            if (browser.shown("task-" + action)) {
                shown.add(action.equals("fullSync") ? "full-sync" : action);
            }
        }
        return shown;
    }

    static java.util.Set<String> allowedActions(String taskId) throws Exception {
        java.util.Set<String> allowed = new java.util.TreeSet<>();
        JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId + "/status")).body())
                .path("allowedActions").forEach(a -> allowed.add(a.asText()));
        return allowed;
    }
}
