package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.quote;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tasks read from registered data sources: a definition carrying its own address or password is
 * refused through the public API; the listener connects with the registry's credential as it
 * is at each start; a source in use can be neither deleted nor moved to another database; a
 * disabled source starts no task; and an operator sees and acts only on the tasks built on the
 * sources assigned to them.
 */
class TaskDataSourceIT extends RunningSuite {

    private final MariaDbE2eTable table = new MariaDbE2eTable();
    private final LocalInfra infra = LocalInfra.get();

    @Test
    void aDefinitionWithItsOwnConnectionOrAnUnknownSourceIsRefused() throws Exception {
        String id = "inline_" + runId();
        String secret = "Inline-" + runId() + "-pw";
        String registered = table.definition(id, id);
        String inline = registered.replace(table.sourceJson(), """
                {"kind": "mariadb", "host": "127.0.0.1", "port": %d, "database": "%s", "username": "%s",
                 "password": "%s"}""".formatted(infra.port("mariadb"), infra.value("DATARSYNC_DEMO_DB"), infra.dbUser(),
                secret));
        String passwordOnly = registered.replace("\"dataSourceId\": " + table.dataSourceId() + ",",
                "\"dataSourceId\": " + table.dataSourceId() + ", \"password\": \"" + secret + "\",");
        String unknown = registered.replace("\"dataSourceId\": " + table.dataSourceId(), "\"dataSourceId\": 987654321");
        String otherKind = registered.replace("\"kind\": \"mariadb\"", "\"kind\": \"postgres\"");

        Map<String, String> fieldByCase = Map.of(inline, "definition.source.host", passwordOnly,
                "definition.source.password", unknown, "definition.source.dataSourceId", otherKind,
                "definition.source.kind");
        for (Map.Entry<String, String> c : fieldByCase.entrySet()) {
            HttpResponse<String> refused = SuiteProcesses.post(gateway("/api/tasks"), "{\"definition\": " + c.getKey() + "}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            JsonNode body = read(refused.body());
            assertThat(body.path("code").asText()).isEqualTo("DRS-4000");
            List<String> fields = new ArrayList<>();
            body.path("details").path("violations").forEach(v -> fields.add(v.path("field").asText()));
            assertThat(fields).containsExactly(c.getValue());
            assertThat(refused.body()).doesNotContain(secret).doesNotContain("Exception");
        }
        assertThat(SuiteProcesses.get(gateway("/api/tasks/" + id)).statusCode()).isEqualTo(404);
        assertThat(storedTaskCount(id)).isZero();
    }

    @Test
    void aTaskConnectsWithTheRegisteredCredentialAndHoldsItsSourceInPlace() throws Exception {
        String run = runId();
        String taskId = "dsref_" + run;
        String tableName = "dsref_" + run;
        table.create(tableName, "CREATE TABLE " + tableName + " (id INT PRIMARY KEY, title VARCHAR(64), body TEXT)",
                "INSERT INTO " + tableName + " VALUES (1, 'one', 'first'), (2, 'two', 'second'), (3, 'three', 'third')");
        long source = createSource("dsref " + run, infra.dbPassword());
        String definition = table.titleBodyDefinition(taskId, List.of(tableName))
                .replace("\"dataSourceId\": " + table.dataSourceId(), "\"dataSourceId\": " + source);
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.createTask(definition);
                JsonNode stored = read(SuiteProcesses.get(gateway("/api/tasks/" + taskId)).body()).path("definition")
                        .path("source");
                assertThat(stored.path("dataSourceId").asLong()).isEqualTo(source);
                assertThat(stored.path("kind").asText()).isEqualTo("mariadb");
                assertThat(stored.path("database").asText()).isEqualTo(infra.value("DATARSYNC_DEMO_DB"));
                assertThat(stored.has("host") || stored.has("password") || stored.has("username")).isFalse();

                // Disabled: no start, nothing created.
                assertThat(SuiteProcesses.post(gateway("/api/datasources/" + source + "/disable"), "").statusCode())
                        .isEqualTo(200);
                HttpResponse<String> refused = client.action(taskId, "start");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
                assertThat(read(refused.body()).path("message").asText()).contains("disabled");
                assertThat(client.milvus.hasCollection(io.milvus.v2.service.collection.request.HasCollectionReq
                        .builder().collectionName(taskId).build())).isFalse();

                assertThat(SuiteProcesses.post(gateway("/api/datasources/" + source + "/enable"), "").statusCode())
                        .isEqualTo(200);
                assertThat(client.action(taskId, "start").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 3);

                // In use: neither deleted nor moved to another database; checked in the registry's table.
                HttpResponse<String> delete = SuiteProcesses.delete(gateway("/api/datasources/" + source));
                assertThat(delete.statusCode()).as(delete.body()).isEqualTo(409);
                assertThat(read(delete.body()).path("message").asText()).contains(taskId);
                HttpResponse<String> moved = SuiteProcesses.put(gateway("/api/datasources/" + source),
                        sourceBody("dsref " + run, infra.value("DATARSYNC_META_DB"), infra.dbPassword()));
                assertThat(moved.statusCode()).as(moved.body()).isEqualTo(409);
                assertThat(storedDatabase(source)).isEqualTo(infra.value("DATARSYNC_DEMO_DB"));

                // The registry's credential, as it is now, is what a start connects with: a wrong
                // one refuses the restart (the running capture goes on), the right one restarts it.
                assertThat(SuiteProcesses.put(gateway("/api/datasources/" + source),
                        sourceBody("dsref " + run, infra.value("DATARSYNC_DEMO_DB"), "Wrong-" + run)).statusCode())
                        .isEqualTo(200);
                HttpResponse<String> wrong = client.action(taskId, "restart");
                assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(400);
                assertThat(read(wrong.body()).path("message").asText()).contains("refused the login")
                        .doesNotContain("Wrong-" + run);
                assertThat(SuiteProcesses.put(gateway("/api/datasources/" + source),
                        sourceBody("dsref " + run, infra.value("DATARSYNC_DEMO_DB"), infra.dbPassword())).statusCode())
                        .isEqualTo(200);
                try (Connection c = table.connect(); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO " + tableName + " VALUES (4, 'four', 'fourth')");
                }
                assertThat(client.action(taskId, "restart").statusCode()).isEqualTo(200);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 4);
                assertThat(client.entities(taskId, List.of("title")).get("4").get("title")).isEqualTo("four");
            } finally {
                client.deleteTask(taskId, true);
            }
        }
        // No task left on it: the source can go.
        assertThat(SuiteProcesses.delete(gateway("/api/datasources/" + source)).statusCode()).isEqualTo(200);
        assertThat(storedDatabase(source)).isNull();
    }

    @Test
    void anOperatorActsOnlyOnTheTasksOfTheSourcesAssignedToThem() throws Exception {
        String admin = AdminSession.accessToken();
        String run = runId();
        String tableName = "tperm_" + run;
        table.create(tableName, "CREATE TABLE " + tableName + " (id INT PRIMARY KEY, title VARCHAR(64), body TEXT)",
                "INSERT INTO " + tableName + " VALUES (1, 'one', 'first')");
        long a = createSource("tperm A " + run, infra.dbPassword());
        long b = createSource("tperm B " + run, infra.dbPassword());
        String onA = "tperm_a_" + run;
        String onB = "tperm_b_" + run;
        String userName = "op" + run + "tasks";
        String password = "Pw-" + run + "-Task-7x";
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.createTask(definitionOn(onA, tableName, a));
                client.createTask(definitionOn(onB, tableName, b));
                HttpResponse<String> user = call("POST", gateway("/api/auth/users"), admin, "{\"username\":\""
                        + userName + "\",\"password\":\"" + password + "\",\"roles\":[\"OPERATOR\"],\"dataSourceIds\":["
                        + a + "]}");
                assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
                String op = AuthClient.tokens(userName, password).get("accessToken").asText();

                List<String> listed = new ArrayList<>();
                read(call("GET", gateway("/api/tasks?size=200"), op, null).body()).path("items")
                        .forEach(t -> listed.add(t.path("id").asText()));
                assertThat(listed).contains(onA).doesNotContain(onB);

                // On A: start and stop.
                HttpResponse<String> started = call("POST", gateway("/api/tasks/" + onA + "/start"), op, "");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(onA) == 1);
                HttpResponse<String> stopped = call("POST", gateway("/api/tasks/" + onA + "/stop"), op, "");
                assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
                assertThat(desiredState(onA)).isEqualTo("STOPPED");

                // On B, and on an id that does not exist: 403 everywhere, through the gateway and on
                // the task manager's own port.
                List<String[]> refused = List.of(
                        new String[] {"GET", "/api/tasks/" + onB, null},
                        new String[] {"POST", "/api/tasks/" + onB + "/start", ""},
                        new String[] {"POST", "/api/tasks/" + onB + "/stop", ""},
                        new String[] {"GET", "/api/tasks/" + onB + "/status", null},
                        new String[] {"GET", "/api/tasks/" + onB + "/runs", null},
                        new String[] {"GET", "/api/tasks/" + onB + "/dead-letters", null},
                        new String[] {"POST", "/api/tasks/" + onB + "/verifications", ""},
                        new String[] {"DELETE", "/api/tasks/" + onB, null},
                        new String[] {"GET", "/api/tasks/no_such_task_" + run, null},
                        new String[] {"POST", "/api/tasks", "{\"definition\": " + definitionOn("tperm_c_" + run,
                                tableName, b) + "}"},
                        new String[] {"PUT", "/api/tasks/" + onA, "{\"definition\": " + definitionOn(onA, tableName, b)
                                + "}"});
                for (String[] c : refused) {
                    for (URI uri : List.of(gateway(c[1]), SuiteProcesses.direct("task-manager", c[1]))) {
                        HttpResponse<String> r = call(c[0], uri, op, c[2]);
                        assertThat(r.statusCode()).as("%s %s: %s", c[0], uri, r.body()).isEqualTo(403);
                        assertThat(read(r.body()).path("code").asText()).isEqualTo("DRS-4030");
                    }
                }
                // Nothing of B changed, and A still reads from A: read in the database itself.
                assertThat(desiredState(onB)).isEqualTo("STOPPED");
                assertThat(storedTaskCount("tperm_c_" + run)).isZero();
                assertThat(storedDataSource(onA)).isEqualTo(a);
            } finally {
                client.deleteTask(onA, true);
                client.deleteTask(onB, true);
                deleteUser(admin, userName);
                SuiteProcesses.delete(gateway("/api/datasources/" + a));
                SuiteProcesses.delete(gateway("/api/datasources/" + b));
            }
        }
    }

    private String definitionOn(String taskId, String tableName, long source) {
        return table.titleBodyDefinition(taskId, List.of(tableName))
                .replace("\"dataSourceId\": " + table.dataSourceId(), "\"dataSourceId\": " + source);
    }

    private long createSource(String name, String password) {
        HttpResponse<String> r = SuiteProcesses.post(gateway("/api/datasources"),
                sourceBody(name, infra.value("DATARSYNC_DEMO_DB"), password));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return read(r.body()).get("id").asLong();
    }

    private String sourceBody(String name, String database, String password) {
        return "{\"name\":" + quote(name) + ",\"kind\":\"mariadb\",\"host\":\"127.0.0.1\",\"port\":" + infra.port("mariadb")
                + ",\"database\":\"" + database + "\",\"username\":\"" + infra.dbUser() + "\",\"password\":"
                + quote(password) + "}";
    }

    private static void deleteUser(String admin, String userName) {
        for (JsonNode u : read(call("GET", gateway("/api/auth/users?q=" + userName), admin, null).body()).path("items")) {
            if (u.path("username").asText().equals(userName)) {
                call("DELETE", gateway("/api/auth/users/" + u.path("id").asLong()), admin, null);
            }
        }
    }

    private Connection metaDb() throws Exception {
        return DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_META_DB")), infra.dbUser(),
                infra.dbPassword());
    }

    private String storedDatabase(long dataSourceId) throws Exception {
        return single("SELECT database_name FROM data_source WHERE id = ?", dataSourceId);
    }

    private String desiredState(String taskId) throws Exception {
        return single("SELECT desired_state FROM sync_task WHERE id = ?", taskId);
    }

    private long storedDataSource(String taskId) throws Exception {
        return Long.parseLong(single("SELECT data_source_id FROM sync_task WHERE id = ?", taskId));
    }

    private long storedTaskCount(String taskId) throws Exception {
        return Long.parseLong(single("SELECT COUNT(*) FROM sync_task WHERE id = ?", taskId));
    }

    private String single(String sql, Object parameter) throws Exception {
        try (Connection c = metaDb(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
