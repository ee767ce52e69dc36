package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every PromQL expression the project ships, in every Grafana dashboard under
 * deploy/monitoring/grafana/dashboards and every rule of deploy/monitoring/prometheus, returns a
 * series from the real Prometheus while a task runs: no panel is left empty by a typo or a
 * renamed metric. An alert's expression is asked without its threshold comparison (the quantity
 * it compares must exist even while the alert is quiet).
 */
class DashboardQueriesIT extends RunningSuite {

    private static final Path MONITORING = Path.of(System.getProperty("user.dir")).resolve("monitoring");
    /** The threshold comparison an alert ends with: {@code > 0.9}, {@code == 1}, {@code == bool 0}. */
    private static final Pattern THRESHOLD = Pattern.compile("\\s*(==|!=|>=|<=|>|<)\\s*(bool\\s+)?[-+0-9.eE]+\\s*$");

    @Test
    void everyDashboardPanelAndAlertRuleQueryReturnsASeriesWhileATaskRuns() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "panels_" + runId();
        source.create("panel_docs",
                "CREATE TABLE panel_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT) CHARACTER SET utf8mb4",
                "INSERT INTO panel_docs VALUES (1, 'one', 'a'), (2, 'two', 'b'), (3, 'three', 'c')");
        // One title too long for its field: the dead-letter queries have a series to show.
        String definition = source.definitionWithShortTitle(taskId, "panel_docs", 16);
        Map<String, String> queries = shippedQueries(taskId);
        assertThat(queries).hasSizeGreaterThan(30);
        try (DataPathClient client = new DataPathClient(); java.sql.Connection db = source.connect();
             java.sql.Statement sql = db.createStatement()) {
            try {
                client.startTask(definition);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 3);
                sql.execute("INSERT INTO panel_docs VALUES (4, 'a title far longer than sixteen bytes', 'd')");
                // A steady trickle of changes while the queries are asked: the rates have something to show.
                java.util.concurrent.ScheduledExecutorService writer = java.util.concurrent.Executors
                        .newSingleThreadScheduledExecutor();
                java.sql.Connection writes = source.connect();
                java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
                writer.scheduleWithFixedDelay(() -> {
                    try (java.sql.Statement update = writes.createStatement()) {
                        update.execute("UPDATE panel_docs SET body = 'changed " + n.incrementAndGet() + "' WHERE id = "
                                + (1 + n.get() % 3));
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }, 0, 500, java.util.concurrent.TimeUnit.MILLISECONDS);

                Map<String, JsonNode> answers = new LinkedHashMap<>();
                await("every shipped query returns a series").atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
                            List<String> empty = new ArrayList<>();
                            queries.forEach((where, query) -> {
                                JsonNode result = query(query);
                                answers.put(where, result);
                                if (result.isEmpty()) {
                                    empty.add(where + ": " + query);
                                }
                            });
                            assertThat(empty).as("queries without a series").isEmpty();
                        });
                writer.shutdownNow();
                writes.close();
                System.out.printf("DASHBOARD QUERIES %d checked, each with a series; the overview's, with %d updates "
                        + "made at 2/s so far:%n", queries.size(), n.get());
                answers.forEach((where, result) -> {
                    if (where.startsWith("datarsync-overview.json")) {
                        List<String> values = new ArrayList<>();
                        result.forEach(r -> values.add(r.path("metric").toString() + " = " + r.path("value").get(1)
                                .asText()));
                        System.out.printf("  %s%n    %s%n", where, String.join("\n    ", values));
                    }
                });
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    @Test
    void prometheusLoadedEveryShippedAlertRuleAndEvaluatesThemWithoutError() throws Exception {
        String shipped = Files.readString(MONITORING.resolve("prometheus/datarsync-alerts.yml"));
        long alerts = shipped.lines().filter(l -> l.trim().startsWith("- alert:")).count();
        List<String> loaded = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            loaded.clear();
            JsonNode now = JSON.readTree(SuiteProcesses.get(prometheus("/api/v1/rules")).body()).path("data")
                    .path("groups");
            now.forEach(g -> g.path("rules").forEach(r -> {
                assertThat(r.path("health").asText()).as(r.path("name").asText()).isIn("ok", "unknown");
                loaded.add(r.path("name").asText());
            }));
            assertThat(loaded).hasSize((int) alerts);
        });
        assertThat(loaded).contains("DataRsyncTaskFailed", "DataRsyncLagHigh", "DataRsyncDeadLettersGrowing",
                "DataRsyncSourceUnhealthy", "DataRsyncMilvusWriteFailures", "DataRsyncNoProgress");
    }

    /**
     * Every expression of the shipped dashboards (with {@code $task} the given task, every
     * service for {@code $application}, one minute for {@code $__rate_interval}) and of the rules
     * file (thresholds removed), by where it stands.
     */
    private static Map<String, String> shippedQueries(String taskId) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(MONITORING.resolve("grafana/dashboards"))) {
            for (Path file : files.sorted().toList()) {
                JsonNode dashboard = JSON.readTree(Files.readString(file));
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        out.put(file.getFileName() + " / " + panel.path("title").asText() + " / "
                                + target.path("refId").asText(), substitute(target.path("expr").asText(), taskId));
                    }
                }
                for (JsonNode variable : dashboard.path("templating").path("list")) {
                    Matcher values = Pattern.compile("label_values\\((\\w+), *(\\w+)\\)").matcher(
                            variable.path("definition").asText());
                    if (values.matches()) {
                        out.put(file.getFileName() + " / variable " + variable.path("name").asText(),
                                "count by (" + values.group(2) + ") (" + values.group(1) + ")");
                    }
                }
            }
        }
        String rules = Files.readString(MONITORING.resolve("prometheus/datarsync-alerts.yml"));
        // Each rule's expr: a one-line value, or a folded (>-) block of the lines indented below it.
        Matcher rule = Pattern.compile("- alert: (\\w+)\\n(?:\\s*#.*\\n)*\\s*expr: (?:>-\\n((?:\\s{10}.*\\n)+)|(.*)\\n)")
                .matcher(rules);
        while (rule.find()) {
            String expr = rule.group(2) != null ? String.join(" ", rule.group(2).lines().map(String::trim).toList())
                    : rule.group(3).trim();
            out.put("datarsync-alerts.yml / " + rule.group(1), THRESHOLD.matcher(expr).replaceFirst(""));
        }
        return out;
    }

    private static String substitute(String expr, String taskId) {
        return expr.replace("$task", taskId).replace("$application", ".+").replace("$__rate_interval", "1m");
    }

    /** The result of an instant query on the suite's Prometheus. */
    static JsonNode query(String promql) {
        try {
            return JSON.readTree(SuiteProcesses.get(prometheus("/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).body()).path("data").path("result");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI prometheus(String path) {
        return URI.create("http://127.0.0.1:" + LocalInfra.get().port("prometheus") + path);
    }
}
