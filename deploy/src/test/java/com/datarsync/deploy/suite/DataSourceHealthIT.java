package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.read;
import static com.datarsync.deploy.suite.SuiteProcesses.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The connection test and the periodic health checks against real servers: each capture
 * prerequisite reported as the server itself says it is, on the suite's MariaDB and PostgreSQL
 * and on a second PostgreSQL cluster started with {@code wal_level=replica}; health shown in the
 * source list, and every change of it raised to the monitor ({@code /api/monitor/events}).
 */
class DataSourceHealthIT extends RunningSuite {

    private final LocalInfra infra = LocalInfra.get();

    @Test
    void theConnectionTestReportsEachCapturePrerequisiteAsTheServerHasIt() throws Exception {
        long mariadb = new MariaDbE2eTable().dataSourceId();
        Map<String, JsonNode> checks = checks(mariadb);
        Map<String, String> variables = new HashMap<>();
        try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_DEMO_DB")),
                infra.dbUser(), infra.dbPassword()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', "
                     + "'binlog_row_image')")) {
            while (rs.next()) {
                variables.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(checks.get("binlog enabled").path("passed").asBoolean()).isEqualTo("ON".equals(variables.get("log_bin")));
        assertThat(checks.get("binlog format ROW").path("passed").asBoolean())
                .isEqualTo("ROW".equals(variables.get("binlog_format")));
        assertThat(checks.get("binlog format ROW").path("found").asText())
                .isEqualTo("binlog_format=" + variables.get("binlog_format"));
        assertThat(checks.get("binlog row image FULL").path("passed").asBoolean())
                .isEqualTo("FULL".equals(variables.get("binlog_row_image")));
        assertThat(checks.get("replication privileges").path("passed").asBoolean()).isTrue();
        assertThat(checks.get("login").path("passed").asBoolean()).isTrue();

        long postgres = new PostgresE2eTable().dataSourceId();
        assertThat(checks(postgres).get("wal_level logical").path("passed").asBoolean())
                .isEqualTo("logical".equals(walLevel(infra.port("postgres"))));

        // The second cluster runs with wal_level=replica: the check fails, says what it found
        // and how to fix it; the others still pass.
        long broken = noCaptureSource("prereq");
        try {
            String level = walLevel(infra.port("postgres-nocdc"));
            assertThat(level).isEqualTo("replica");
            HttpResponse<String> answer = SuiteProcesses.post(gateway("/api/datasources/" + broken + "/test"), "");
            JsonNode result = read(answer.body());
            assertThat(result.path("ok").asBoolean()).isFalse();
            assertThat(result.path("reachable").asBoolean()).isTrue();
            assertThat(result.path("loginAccepted").asBoolean()).isTrue();
            Map<String, JsonNode> brokenChecks = byName(result);
            assertThat(brokenChecks.get("wal_level logical").path("passed").asBoolean()).isFalse();
            assertThat(brokenChecks.get("wal_level logical").path("found").asText()).isEqualTo("wal_level=" + level);
            assertThat(brokenChecks.get("wal_level logical").path("hint").asText()).contains("wal_level = logical");
            assertThat(brokenChecks.get("REPLICATION attribute").path("passed").asBoolean()).isTrue();
            assertThat(brokenChecks.get("free replication slot").path("passed").asBoolean()).isTrue();
        } finally {
            SuiteProcesses.delete(gateway("/api/datasources/" + broken));
        }
    }

    @Test
    void healthIsCheckedPeriodicallyAndEveryChangeIsRaisedToTheMonitor() throws Exception {
        long degraded = noCaptureSource("health");
        long unreachable = read(SuiteProcesses.post(gateway("/api/datasources"), """
                {"name": "health nowhere %s", "kind": "postgres", "host": "127.0.0.1", "port": 1,
                 "database": "x", "username": "u", "password": "p"}""".formatted(runId())).body()).get("id").asLong();
        try {
            awaitHealth(degraded, "DEGRADED");
            assertThat(health(degraded).path("reason").asText()).contains("wal_level logical: wal_level=replica");
            awaitEvent(degraded, "UNKNOWN", "DEGRADED");
            awaitHealth(unreachable, "DOWN");
            assertThat(health(unreachable).path("reason").asText()).contains("reachable");
            awaitEvent(unreachable, "UNKNOWN", "DOWN");
            awaitGauge(degraded, 0.5);

            // The cluster goes away and comes back: two more changes, each raised once.
            SuiteProcesses.stop("postgres-nocdc");
            try {
                awaitHealth(degraded, "DOWN");
                awaitEvent(degraded, "DEGRADED", "DOWN");
                awaitGauge(degraded, 0.0);
            } finally {
                SuiteProcesses.start("postgres-nocdc");
            }
            awaitHealth(degraded, "DEGRADED");
            awaitEvent(degraded, "DOWN", "DEGRADED");
            JsonNode events = read(SuiteProcesses.get(gateway("/api/monitor/events?subject=datasource:" + degraded))
                    .body());
            assertThat(events).hasSize(3);
            assertThat(events.get(0).path("type").asText()).isEqualTo("datasource.health");
            assertThat(events.toString()).doesNotContain(infra.pgPassword());

            // A disabled source is not checked, and shows no health.
            SuiteProcesses.post(gateway("/api/datasources/" + unreachable + "/disable"), "");
            assertThat(read(SuiteProcesses.get(gateway("/api/datasources/" + unreachable)).body()).path("health")
                    .isNull()).isTrue();
        } finally {
            SuiteProcesses.delete(gateway("/api/datasources/" + degraded));
            SuiteProcesses.delete(gateway("/api/datasources/" + unreachable));
        }
    }

    private long noCaptureSource(String label) {
        HttpResponse<String> created = SuiteProcesses.post(gateway("/api/datasources"), """
                {"name": "nocdc %s %s", "kind": "postgres", "host": "127.0.0.1", "port": %d, "database": "%s",
                 "username": "%s", "password": "%s"}""".formatted(label, runId(), infra.port("postgres-nocdc"),
                infra.value("DATARSYNC_DEMO_DB"), infra.pgUser(), infra.pgPassword()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return read(created.body()).get("id").asLong();
    }

    private String walLevel(int port) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/"
                + infra.value("DATARSYNC_DEMO_DB"), infra.pgUser(), infra.pgPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW wal_level")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<String, JsonNode> checks(long id) {
        HttpResponse<String> answer = SuiteProcesses.post(gateway("/api/datasources/" + id + "/test"), "");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return byName(read(answer.body()));
    }

    private static Map<String, JsonNode> byName(JsonNode result) {
        Map<String, JsonNode> out = new HashMap<>();
        result.path("checks").forEach(c -> out.put(c.path("name").asText(), c));
        return out;
    }

    private static JsonNode health(long id) {
        return read(SuiteProcesses.get(gateway("/api/datasources/" + id)).body()).path("health");
    }

    private static void awaitHealth(long id, String state) {
        await("data source " + id + " " + state).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    // The list shows the same health as the source's own answer.
                    for (JsonNode s : read(SuiteProcesses.get(gateway("/api/datasources")).body())) {
                        if (s.path("id").asLong() == id) {
                            return state.equals(s.path("health").path("state").asText())
                                    && state.equals(health(id).path("state").asText());
                        }
                    }
                    return false;
                });
    }

    private static void awaitEvent(long id, String from, String to) {
        await("event " + from + " -> " + to + " of " + id).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    for (JsonNode e : read(SuiteProcesses.get(gateway("/api/monitor/events?type=datasource.health"
                            + "&subject=datasource:" + id)).body())) {
                        if (from.equals(e.path("from").asText()) && to.equals(e.path("to").asText())) {
                            return true;
                        }
                    }
                    return false;
                });
    }

    private static void awaitGauge(long id, double value) {
        await("gauge of " + id + " at " + value).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> gauge(id) == value);
    }

    /** The data-source service's gauge for this source, scraped from its own metrics endpoint. */
    private static double gauge(long id) {
        String metrics = SuiteProcesses.get(URI.create("http://127.0.0.1:" + SuiteProcesses.healthPort("data-source")
                + "/actuator/prometheus")).body();
        return metrics.lines().filter(l -> l.startsWith("datarsync_datasource_health{")
                        && l.contains("dataSource=\"" + id + "\"")).mapToDouble(l -> Double.parseDouble(
                        l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
    }
}
