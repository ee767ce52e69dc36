package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.quote;
import static com.datarsync.deploy.suite.AuthClient.read;
import static com.datarsync.deploy.suite.SuiteProcesses.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every state-changing request through the gateway leaves one audit entry, refused ones too:
 * who, method and route, target, outcome, address; never a body (the source password stays out).
 */
class GatewayAuditIT extends RunningSuite {

    @Test
    void stateChangingRequestsAreAuditedWithTheirOutcome() {
        String admin = AdminSession.accessToken();
        String run = runId();
        LocalInfra infra = LocalInfra.get();
        String body = "{\"name\":\"audit " + run + "\",\"kind\":\"mariadb\",\"host\":\"127.0.0.1\",\"port\":"
                + infra.port("mariadb") + ",\"database\":\"" + infra.value("DATARSYNC_DEMO_DB") + "\",\"username\":\""
                + infra.dbUser() + "\",\"password\":" + quote(infra.dbPassword()) + "}";
        var created = call("POST", gateway("/api/datasources"), admin, body);
        assertThat(created.statusCode()).isEqualTo(201);
        long id = read(created.body()).get("id").asLong();
        assertThat(call("POST", gateway("/api/datasources/" + id + "/disable"), admin, null).statusCode()).isEqualTo(200);
        String viewerName = "av" + run;
        assertThat(call("POST", gateway("/api/auth/users"), admin, "{\"username\":\"" + viewerName
                + "\",\"password\":\"Pw-" + run + "-Audit-7x\",\"roles\":[\"VIEWER\"]}").statusCode()).isEqualTo(201);
        String viewer = AuthClient.tokens(viewerName, "Pw-" + run + "-Audit-7x").get("accessToken").asText();
        assertThat(call("DELETE", gateway("/api/datasources/" + id), viewer, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", gateway("/api/tasks/audit_" + run + "/start"), null, null).statusCode()).isEqualTo(401);
        assertThat(call("DELETE", gateway("/api/datasources/" + id), admin, null).statusCode()).isEqualTo(200);

        String target = "/api/datasources/" + id;
        await("the gateway's audit entries").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> entries(admin, target).size() >= 3);
        List<String> forSource = entries(admin, target);
        assertThat(forSource).contains(
                "admin POST /api/datasources/{id}/disable SUCCESS 200",
                viewerName + " DELETE /api/datasources/{id} FAILURE 403",
                "admin DELETE /api/datasources/{id} SUCCESS 200");
        await("the anonymous refusal").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> entries(admin, "/api/tasks/audit_" + run + "/start")
                        .contains("- POST /api/tasks/{id}/start FAILURE 401"));
        JsonNode page = read(call("GET", gateway("/api/auth/audit?action="
                + URLEncoder.encode("POST /api/datasources", StandardCharsets.UTF_8) + "&size=20"), admin, null).body());
        assertThat(read(page.get("items").get(0).get("detail").asText()).path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(page.toString()).doesNotContain(infra.dbPassword());
        JsonNode verification = read(call("GET", gateway("/api/auth/audit/verification"), admin, null).body());
        assertThat(verification.get("intact").asBoolean()).as(verification.toString()).isTrue();
    }

    /** "actor action outcome status" of the entries on this target or below it, newest first. */
    private static List<String> entries(String admin, String target) {
        JsonNode page = read(call("GET", gateway("/api/auth/audit?size=200"), admin, null).body());
        List<String> out = new ArrayList<>();
        page.get("items").forEach(e -> {
            String resource = e.get("resource").asText();
            if (resource.equals(target) || resource.startsWith(target + "/")) {
                out.add(e.get("actor").asText() + " " + e.get("action").asText() + " " + e.get("outcome").asText()
                        + " " + read(e.get("detail").asText()).path("status").asInt());
            }
        });
        return out;
    }
}
