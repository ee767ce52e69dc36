package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Defence in depth: a caller who reaches a service's own port, past the gateway, meets the same
 * checks. The services' /api routes want a valid token with the route's permission; the stages'
 * /internal worker routes want the suite's internal credential and nothing else.
 */
class ServiceChecksIT extends RunningSuite {

    @Test
    void servicesCheckTheTokenAndThePermissionThemselves() {
        String admin = AdminSession.accessToken();
        String viewerName = "sc" + runId();
        String password = "Pw-" + runId() + "-Check-9Z";
        assertThat(call("POST", SuiteProcesses.gateway("/api/auth/users"), admin, "{\"username\":\"" + viewerName
                + "\",\"password\":\"" + password + "\",\"roles\":[\"VIEWER\"]}").statusCode()).isEqualTo(201);
        String viewer = AuthClient.tokens(viewerName, password).get("accessToken").asText();

        for (List<String> route : List.of(List.of("data-source", "/api/datasources"), List.of("task-manager", "/api/tasks"))) {
            URI uri = SuiteProcesses.direct(route.get(0), route.get(1));
            HttpResponse<String> none = call("GET", uri, null, null);
            assertThat(none.statusCode()).as("%s without a token", uri).isEqualTo(401);
            assertThat(read(none.body()).get("code").asText()).isEqualTo("DRS-4010");
            assertThat(call("GET", uri, "not.a.token", null).statusCode()).isEqualTo(401);
            assertThat(call("GET", uri, viewer, null).statusCode()).as("%s as a viewer", uri).isEqualTo(200);
            HttpResponse<String> write = call("POST", uri, viewer, "{}");
            assertThat(write.statusCode()).as("POST %s as a viewer", uri).isEqualTo(403);
            assertThat(read(write.body()).get("code").asText()).isEqualTo("DRS-4030");
        }
        // A revoked token is refused by the service too, not only by the gateway.
        assertThat(call("POST", SuiteProcesses.gateway("/api/auth/logout"), viewer, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", SuiteProcesses.direct("task-manager", "/api/tasks"), viewer, null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void stageWorkerRoutesTakeOnlyTheInternalCredential() {
        String internal = LocalInfra.get().value("DATARSYNC_INTERNAL_TOKEN");
        String admin = AdminSession.accessToken();
        for (List<String> stage : SuiteProcesses.STAGES) {
            URI uri = SuiteProcesses.direct(stage.get(1), "/internal/stage/tasks");
            assertThat(internalCall(uri, null).statusCode()).as("%s without a credential", uri).isEqualTo(401);
            assertThat(internalCall(uri, internal + "x").statusCode()).as("%s with a wrong one", uri).isEqualTo(401);
            // An operator's token is no credential for a worker route.
            assertThat(call("GET", uri, admin, null).statusCode()).as("%s with a user's token", uri).isIn(401, 403);
            assertThat(internalCall(uri, internal).statusCode()).as("%s with the credential", uri).isEqualTo(200);
        }
    }

    private static HttpResponse<String> internalCall(URI uri, String credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        if (credential != null) {
            b.header("X-DataRsync-Internal", credential);
        }
        return SuiteProcesses.send(b);
    }
}
