package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.quote;
import static com.datarsync.deploy.suite.AuthClient.read;
import static com.datarsync.deploy.suite.SuiteProcesses.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data permissions on data sources: an operator assigned source A sees and acts on A only; for
 * source B every route answers 403, by id too, through the gateway and on the service's own
 * port; an assignment change takes effect at the next refresh.
 */
class DataPermissionsIT extends RunningSuite {

    @Test
    void anOperatorActsOnlyOnTheSourcesAssignedToThem() throws Exception {
        String admin = AdminSession.accessToken();
        String run = runId();
        long a = createSource(admin, "perm A " + run);
        long b = createSource(admin, "perm B " + run);
        String name = "op" + run + "perm";
        String password = "Pw-" + run + "-Perm-7x";
        HttpResponse<String> created = call("POST", gateway("/api/auth/users"), admin, "{\"username\":\"" + name
                + "\",\"password\":\"" + password + "\",\"roles\":[\"OPERATOR\"],\"dataSourceIds\":[" + a + "]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long userId = read(created.body()).get("id").asLong();
        JsonNode tokens = AuthClient.tokens(name, password);
        String op = tokens.get("accessToken").asText();

        assertThat(ids(call("GET", gateway("/api/datasources"), op, null))).contains(a).doesNotContain(b);
        assertThat(call("GET", gateway("/api/datasources/" + a), op, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", gateway("/api/datasources/" + a + "/schemas"), op, null).statusCode()).isEqualTo(200);

        List<String[]> onB = List.of(
                new String[] {"GET", "/api/datasources/" + b, null},
                new String[] {"PUT", "/api/datasources/" + b, sourceBody("taken over " + run)},
                new String[] {"DELETE", "/api/datasources/" + b, null},
                new String[] {"POST", "/api/datasources/" + b + "/disable", null},
                new String[] {"POST", "/api/datasources/" + b + "/test", null},
                new String[] {"GET", "/api/datasources/" + b + "/schemas", null},
                new String[] {"GET", "/api/datasources/999999999", null},
                new String[] {"POST", "/api/datasources", sourceBody("new " + run)},
                new String[] {"POST", "/api/datasources/test", sourceBody("probe " + run)});
        for (String[] call : onB) {
            for (URI uri : List.of(gateway(call[1]), SuiteProcesses.direct("data-source", call[1]))) {
                HttpResponse<String> r = call(call[0], uri, op, call[2]);
                assertThat(r.statusCode()).as("%s %s: %s", call[0], uri, r.body()).isEqualTo(403);
                assertThat(read(r.body()).get("code").asText()).isEqualTo("DRS-4030");
            }
        }
        // Nothing of B changed, read in the database itself.
        assertThat(storedNameAndEnabled(b)).isEqualTo("perm B " + run + "|true");

        // B assigned as well: the old token stops at once, a refresh carries the new scope.
        assertThat(call("PUT", gateway("/api/auth/users/" + userId), admin, "{\"dataSourceIds\":[" + a + "," + b + "]}")
                .statusCode()).isEqualTo(200);
        assertThat(call("GET", gateway("/api/datasources"), op, null).statusCode()).isEqualTo(401);
        String refreshed = read(call("POST", gateway("/api/auth/refresh"), null, "{\"refreshToken\":"
                + quote(tokens.get("refreshToken").asText()) + "}").body()).get("accessToken").asText();
        assertThat(ids(call("GET", gateway("/api/datasources"), refreshed, null))).contains(a, b);
        assertThat(call("GET", gateway("/api/datasources/" + b), refreshed, null).statusCode()).isEqualTo(200);
    }

    private static long createSource(String admin, String name) {
        HttpResponse<String> r = call("POST", gateway("/api/datasources"), admin, sourceBody(name));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return read(r.body()).get("id").asLong();
    }

    private static String sourceBody(String name) {
        LocalInfra infra = LocalInfra.get();
        return "{\"name\":" + quote(name) + ",\"kind\":\"mariadb\",\"host\":\"127.0.0.1\",\"port\":" + infra.port("mariadb")
                + ",\"database\":\"" + infra.value("DATARSYNC_DEMO_DB") + "\",\"username\":\"" + infra.dbUser()
                + "\",\"password\":" + quote(infra.dbPassword()) + "}";
    }

    private static List<Long> ids(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<Long> out = new ArrayList<>();
        read(r.body()).forEach(s -> out.add(s.get("id").asLong()));
        return out;
    }

    private static String storedNameAndEnabled(long id) throws Exception {
        LocalInfra infra = LocalInfra.get();
        try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_META_DB")),
                infra.dbUser(), infra.dbPassword());
             PreparedStatement ps = c.prepareStatement("SELECT name, enabled FROM data_source WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1) + "|" + rs.getBoolean(2);
            }
        }
    }
}
