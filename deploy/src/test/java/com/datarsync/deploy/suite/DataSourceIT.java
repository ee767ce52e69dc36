package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data-source registry through the gateway (docs/data-sources.md): bad input refused with
 * the fields named (never a 500), credentials sealed in the database and absent from every
 * answer and from the service's log, and the connection test's CDC prerequisites on the real
 * MariaDB and PostgreSQL, each also deliberately broken (binlog format STATEMENT; a user without
 * replication rights).
 */
class DataSourceIT extends RunningSuite {

    private final LocalInfra infra = LocalInfra.get();

    @Test
    void badInputIsRefusedNamingTheFields() throws Exception {
        JsonNode empty = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"), "{}"), 400);
        assertThat(empty.path("code").asText()).isEqualTo("DRS-4000");
        List<String> fields = new ArrayList<>();
        empty.path("details").path("violations").forEach(v -> fields.add(v.path("field").asText()));
        assertThat(fields).contains("name", "kind", "host");

        assertThat(answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"), "{not json"), 400)
                .path("code").asText()).isEqualTo("DRS-4000");
        for (String[] bad : List.of(
                new String[] {"host", "127.0.0.1/x?allowLoadLocalInfile=true"},
                new String[] {"host", "127.0.0.1,evil.example:3306"},
                new String[] {"host", "169.254.169.254"},
                new String[] {"database", "demo?allowMultiQueries=true"},
                new String[] {"database", "demo;DROP TABLE x"},
                new String[] {"port", "70000"})) {
            String body = mariaDbBody("bad " + runId(), "pw").replace("\"" + bad[0] + "\": ", "\"" + bad[0] + "\": "
                    + (bad[0].equals("port") ? bad[1] : "\"" + bad[1] + "\"") + ", \"ignored_" + bad[0] + "\": ");
            JsonNode refused = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"), body), 400);
            assertThat(refused.toString()).as(bad[1]).contains("\"field\":\"" + bad[0] + "\"");
        }
    }

    /**
     * SQL in every free-text field of a source: refused where the field is strict (name, host,
     * database), kept as plain text where it is free (username, description), and harmless
     * either way: the probe table and the registry's table are still there, checked in the
     * databases themselves.
     */
    @Test
    void injectionThroughEveryFieldIsRefusedOrStoredAsText() throws Exception {
        String probe = "probe_" + runId();
        try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_DEMO_DB")),
                infra.dbUser(), infra.dbPassword()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + probe + " (id INT PRIMARY KEY)");
        }
        String drop = "'; DROP TABLE " + probe + "; --";
        for (String field : List.of("name", "host", "database")) {
            String body = mariaDbBody("inj " + runId(), "pw").replace("\"" + field + "\": ", "\"" + field + "\": "
                    + quote("x" + drop) + ", \"ignored_" + field + "\": ");
            JsonNode refused = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"), body), 400);
            assertThat(refused.toString()).as(field).contains("\"field\":\"" + field + "\"");
        }
        String username = "root" + drop + " `x` \" OR 1=1";
        String description = "\"); DELETE FROM data_source; -- <script>alert(1)</script> " + drop;
        String body = mariaDbBody("inj text " + runId(), "Wrong-" + runId())
                .replace("\"username\": \"" + infra.dbUser() + "\"", "\"username\": " + quote(username))
                .replace("\"description\": null", "\"description\": " + quote(description));
        long id = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"), body), 201).path("id").asLong();
        try {
            JsonNode test = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources/" + id + "/test"), ""), 200);
            assertThat(test.path("loginAccepted").asBoolean()).isFalse();
            try (Connection meta = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_META_DB")),
                    infra.dbUser(), infra.dbPassword());
                 PreparedStatement ps = meta.prepareStatement("SELECT username, description FROM data_source WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(username);
                    assertThat(rs.getString(2)).isEqualTo(description);
                }
                try (Statement s = meta.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM data_source")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(1);
                }
            }
            try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_DEMO_DB")),
                    infra.dbUser(), infra.dbPassword()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = '"
                         + probe + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the probe table survived").isEqualTo(1);
            }
        } finally {
            SuiteProcesses.delete(SuiteProcesses.gateway("/api/datasources/" + id));
            try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_DEMO_DB")),
                    infra.dbUser(), infra.dbPassword()); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + probe);
            }
        }
    }

    private static String quote(String text) {
        return AuthClient.quote(text);
    }

    @Test
    void mariaDbSourceIsSealedTestedAndBrokenBinlogFormatIsNamed() throws Exception {
        String name = "maria " + runId();
        JsonNode created = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"),
                mariaDbBody(name, infra.dbPassword())), 201);
        long id = created.path("id").asLong();
        try {
            assertThat(created.toString()).doesNotContain(infra.dbPassword());
            assertThat(created.path("passwordStored").asBoolean()).isTrue();
            String stored = storedCipher(id);
            assertThat(stored).startsWith("v1:").doesNotContain(infra.dbPassword());

            JsonNode ok = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources/" + id + "/test"), ""), 200);
            assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
            assertThat(ok.path("serverVersion").asText()).containsIgnoringCase("maria");
            assertThat(names(ok)).contains("reachable", "login", "binlog enabled", "binlog format ROW",
                    "binlog row image FULL", "replication privileges");

            try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(""), infra.dbUser(), infra.dbPassword());
                 Statement s = c.createStatement()) {
                s.execute("SET GLOBAL binlog_format = 'STATEMENT'");
                try {
                    JsonNode broken = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources/" + id
                            + "/test"), ""), 200);
                    assertThat(broken.path("ok").asBoolean()).isFalse();
                    JsonNode format = check(broken, "binlog format ROW");
                    assertThat(format.path("passed").asBoolean()).isFalse();
                    assertThat(format.path("found").asText()).isEqualTo("binlog_format=STATEMENT");
                    assertThat(format.path("hint").asText()).contains("binlog_format = 'ROW'");
                    assertThat(check(broken, "binlog row image FULL").path("passed").asBoolean()).isTrue();
                } finally {
                    s.execute("SET GLOBAL binlog_format = 'ROW'");
                }
            }

            // A change without a password keeps the stored one; a wrong one is refused by the server.
            JsonNode changed = answer(SuiteProcesses.put(SuiteProcesses.gateway("/api/datasources/" + id),
                    mariaDbBody(name, null).replace("\"description\": null", "\"description\": \"kept\"")), 200);
            assertThat(changed.path("description").asText()).isEqualTo("kept");
            assertThat(storedCipher(id)).isEqualTo(stored);
            assertThat(answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources/" + id + "/test"), ""), 200)
                    .path("ok").asBoolean()).isTrue();
            JsonNode wrong = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources/test"),
                    mariaDbBody(name, "not-the-password")), 200);
            assertThat(check(wrong, "login").path("passed").asBoolean()).isFalse();
            assertThat(wrong.path("loginAccepted").asBoolean()).isFalse();

            assertThat(answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources/" + id + "/disable"), ""), 200)
                    .path("enabled").asBoolean()).isFalse();
            assertThat(answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"), mariaDbBody(name, "x")), 409)
                    .path("code").asText()).isEqualTo("DRS-4090");
        } finally {
            SuiteProcesses.delete(SuiteProcesses.gateway("/api/datasources/" + id));
        }
        assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/api/datasources/" + id)).statusCode()).isEqualTo(404);
        Path log = infra.repo().resolve(".work/logs/data-source.log");
        String work = System.getenv("DATARSYNC_WORK");
        if (work != null) {
            log = Path.of(work, "logs", "data-source.log");
        }
        assertThat(Files.readString(log)).as("the service's log").doesNotContain(infra.dbPassword());
    }

    @Test
    void postgresSourcePassesAndAUserWithoutReplicationIsNamed() throws Exception {
        JsonNode ok = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources/test"),
                postgresBody(infra.pgUser(), infra.pgPassword())), 200);
        assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
        assertThat(names(ok)).contains("wal_level logical", "free replication slot", "REPLICATION attribute");

        String role = "drs_norepl_" + runId();
        try (Connection c = DriverManager.getConnection(infra.postgresUrl(infra.value("DATARSYNC_DEMO_DB")),
                infra.pgUser(), infra.pgPassword()); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw-" + role + "'");
            try {
                JsonNode broken = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources/test"),
                        postgresBody(role, "pw-" + role)), 200);
                assertThat(broken.path("ok").asBoolean()).isFalse();
                JsonNode replication = check(broken, "REPLICATION attribute");
                assertThat(replication.path("passed").asBoolean()).isFalse();
                assertThat(replication.path("hint").asText()).contains("WITH REPLICATION");
                assertThat(check(broken, "wal_level logical").path("passed").asBoolean()).isTrue();
            } finally {
                s.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    void schemasTablesAndColumnsAreBrowsedAndNamesCannotInject() throws Exception {
        for (E2eTable source : List.of(new MariaDbE2eTable(), new PostgresE2eTable())) {
            boolean pg = source instanceof PostgresE2eTable;
            source.create("meta_items", "CREATE TABLE meta_items (id BIGINT PRIMARY KEY, title VARCHAR(80) NOT NULL, "
                    + "note TEXT)", "INSERT INTO meta_items VALUES (1, 'a', NULL), (2, 'b', 'x')");
            String body = pg ? postgresBody(infra.pgUser(), infra.pgPassword()) : mariaDbBody("meta " + runId(),
                    infra.dbPassword());
            long id = answer(SuiteProcesses.post(SuiteProcesses.gateway("/api/datasources"), body), 201).path("id").asLong();
            try {
                String schema = pg ? "public" : infra.value("DATARSYNC_DEMO_DB");
                String base = "/api/datasources/" + id + "/schemas";
                JsonNode schemas = answer(SuiteProcesses.get(SuiteProcesses.gateway(base)), 200);
                assertThat(schemas).extracting(JsonNode::asText).contains(schema)
                        .doesNotContain("information_schema", "mysql", "pg_catalog");
                JsonNode tables = answer(SuiteProcesses.get(SuiteProcesses.gateway(base + "/" + schema + "/tables")), 200);
                assertThat(tables.findValues("name")).extracting(JsonNode::asText).contains("meta_items");
                JsonNode columns = answer(SuiteProcesses.get(SuiteProcesses.gateway(base + "/" + schema
                        + "/tables/meta_items/columns")), 200);
                assertThat(columns).hasSize(3);
                assertThat(columns.get(0).path("name").asText()).isEqualTo("id");
                assertThat(columns.get(0).path("primaryKey").asBoolean()).isTrue();
                assertThat(columns.get(1).path("nullable").asBoolean()).as("title NOT NULL").isFalse();
                assertThat(columns.get(2).path("nullable").asBoolean()).isTrue();
                assertThat(columns.get(2).path("primaryKey").asBoolean()).isFalse();

                for (String[] attempt : List.of(
                        new String[] {schema + "`; DROP TABLE meta_items; --", "meta_items"},
                        new String[] {schema + "'; DROP TABLE meta_items; --", "meta_items"},
                        new String[] {schema, "meta_items' OR '1'='1"},
                        new String[] {schema, "meta%"},
                        new String[] {schema, "meta_item_"},
                        new String[] {schema, "meta_items\"; DROP TABLE meta_items; --"})) {
                    HttpResponse<String> refused = SuiteProcesses.get(SuiteProcesses.gateway(base + "/"
                            + encode(attempt[0]) + "/tables/" + encode(attempt[1]) + "/columns"));
                    assertThat(refused.statusCode()).as(attempt[0] + " / " + attempt[1] + ": " + refused.body())
                            .isIn(400, 404);
                    assertThat(refused.body()).doesNotContain("Exception").doesNotContain("SQL");
                }
                try (Connection c = source.connect(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM meta_items")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("the table is still there, rows and all").isEqualTo(2);
                }
            } finally {
                SuiteProcesses.delete(SuiteProcesses.gateway("/api/datasources/" + id));
            }
        }
    }

    private static String encode(String pathSegment) {
        return java.net.URLEncoder.encode(pathSegment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String mariaDbBody(String name, String password) {
        return """
                {"name": "%s", "kind": "mariadb", "host": "127.0.0.1", "port": %d, "database": "%s",
                 "username": "%s", "password": %s, "description": null}"""
                .formatted(name, infra.port("mariadb"), infra.value("DATARSYNC_DEMO_DB"), infra.dbUser(),
                        password == null ? "null" : "\"" + password + "\"");
    }

    private String postgresBody(String user, String password) {
        return """
                {"name": "pg %s", "kind": "postgres", "host": "127.0.0.1", "port": %d, "database": "%s",
                 "username": "%s", "password": "%s"}"""
                .formatted(runId(), infra.port("postgres"), infra.value("DATARSYNC_DEMO_DB"), user, password);
    }

    private String storedCipher(long id) throws Exception {
        try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_META_DB")),
                infra.dbUser(), infra.dbPassword());
             PreparedStatement ps = c.prepareStatement("SELECT credential_cipher FROM data_source WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static List<String> names(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.path("checks").forEach(c -> {
            assertThat(c.path("passed").asBoolean()).as(c.toString()).isTrue();
            out.add(c.path("name").asText());
        });
        return out;
    }

    private static JsonNode check(JsonNode result, String name) {
        for (JsonNode c : result.path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check '" + name + "' in " + result);
    }

    private static JsonNode answer(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at com.");
        return body;
    }
}
