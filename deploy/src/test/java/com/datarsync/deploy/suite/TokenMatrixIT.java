package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.quote;
import static com.datarsync.deploy.suite.AuthClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.security.RoutePermissions;
import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * Every route of the gateway's table, through the gateway over HTTPS (every answer carrying the
 * security headers), with nine kinds of caller: no token,
 * garbage, {@code alg: none}, expired, signed with a forged key, a refresh token, a token after
 * logout (all 401), a valid token without the route's permission (403), and a valid token of a
 * user whose only permission is the route's (2xx). Each table row has concrete calls; the test
 * fails when a row has none, so a new row cannot go untested.
 */
class TokenMatrixIT extends RunningSuite {

    /** One concrete request; {@code expected} is what the permitted caller gets. */
    record Example(String method, String path, Supplier<String> body, Set<Integer> expected, String why) {
        Example(String method, String path, String body, int... expected) {
            this(method, path, () -> body, statuses(expected), null);
        }
    }

    private static Set<Integer> statuses(int... s) {
        Set<Integer> out = new TreeSet<>();
        for (int i : s) {
            out.add(i);
        }
        return out;
    }

    static String run;
    static String admin;
    static long sourceId;
    static String taskId;
    static final MariaDbE2eTable TABLE = new MariaDbE2eTable();
    static final Map<String, String> PASSWORDS = new LinkedHashMap<>();
    static PrivateKey forgedKey;
    static final String PASSWORD = "Pw-" + Long.toString(System.nanoTime() % 1_000_000L, 36) + "-matrix-9Z";

    @BeforeAll
    static void fixtures() throws Exception {
        run = runId();
        admin = AdminSession.accessToken();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        forgedKey = rsa.generateKeyPair().getPrivate();
        // One user per permission code holding only that code (all data), and one holding nothing.
        List<String> codes = new ArrayList<>();
        read(call("GET", "/api/auth/permissions", admin, null).body()).forEach(p -> codes.add(p.get("code").asText()));
        codes.add("");
        for (String code : codes) {
            String role = "TM_" + (code.isEmpty() ? "NONE" : code.replace(':', '_').toUpperCase()) + "_" + run.toUpperCase();
            HttpResponse<String> r = call("POST", "/api/auth/roles", admin, "{\"code\":\"" + role + "\",\"nameEn\":\"m\","
                    + "\"nameZh\":\"m\",\"dataScope\":\"ALL\",\"permissions\":" + (code.isEmpty() ? "[]" : "[\"" + code + "\"]") + "}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            String user = "tm" + run + (code.isEmpty() ? "none" : code.replace(':', '-'));
            String password = PASSWORD;
            r = call("POST", "/api/auth/users", admin, "{\"username\":\"" + user + "\",\"password\":" + quote(password)
                    + ",\"roles\":[\"" + role + "\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            PASSWORDS.put(code, user);
        }
        HttpResponse<String> source = call("POST", "/api/datasources", admin, sourceBody("matrix " + run));
        assertThat(source.statusCode()).as(source.body()).isEqualTo(201);
        sourceId = read(source.body()).get("id").asLong();
        TABLE.recreate();
        TABLE.seed(5);
        taskId = "tm_" + run;
        HttpResponse<String> task = call("POST", "/api/tasks", admin,
                "{\"definition\": " + TABLE.definition(taskId, taskId) + "}");
        assertThat(task.statusCode()).as(task.body()).isEqualTo(201);
    }

    @AfterAll
    static void removeTask() {
        if (taskId != null) {
            call("DELETE", "/api/tasks/" + taskId + "?dropCollection=true", AdminSession.accessToken(), null);
        }
    }

    private static String sourceBody(String name) {
        LocalInfra infra = LocalInfra.get();
        return "{\"name\":" + quote(name) + ",\"kind\":\"mariadb\",\"host\":\"127.0.0.1\",\"port\":" + infra.port("mariadb")
                + ",\"database\":\"" + infra.value("DATARSYNC_DEMO_DB") + "\",\"username\":\"" + infra.dbUser()
                + "\",\"password\":" + quote(infra.dbPassword()) + "}";
    }

    /** Concrete calls, in the order the permitted caller makes them (a task is started before it is paused). */
    static List<Example> examples() {
        String db = LocalInfra.get().value("DATARSYNC_DEMO_DB");
        String t = "/api/tasks/" + taskId;
        List<Example> e = new ArrayList<>();
        e.add(new Example("GET", "/api/auth/me", null, 200));
        e.add(new Example("GET", "/api/tasks/openapi.json", null, 200));
        e.add(new Example("POST", "/api/auth/logout", null, 204));
        // Changed, then set back by the administrator (afterCall), so the user can log in again.
        e.add(new Example("PUT", "/api/auth/me/password", "{\"currentPassword\":\"" + PASSWORD
                + "\",\"newPassword\":\"Pw-changed-matrix-9Z\"}", 204));
        e.add(new Example("GET", "/api/auth/users", null, 200));
        e.add(new Example("GET", "/api/auth/users/1", null, 200));
        e.add(new Example("POST", "/api/auth/users", () -> "{\"username\":\"tmnew" + run + System.nanoTime() % 100000
                + "\",\"password\":\"Pw-new-user-77x\",\"roles\":[]}", statuses(201), null));
        e.add(new Example("PUT", "/api/auth/users/{throwawayUser}", "{\"displayName\":\"changed\"}", 200));
        e.add(new Example("POST", "/api/auth/users/{throwawayUser}/password", "{\"newPassword\":\"Pw-reset-user-77x\"}", 204));
        e.add(new Example("DELETE", "/api/auth/users/{throwawayUser}", null, 204));
        e.add(new Example("GET", "/api/auth/roles", null, 200));
        e.add(new Example("GET", "/api/auth/roles/VIEWER", null, 200));
        e.add(new Example("GET", "/api/auth/permissions", null, 200));
        e.add(new Example("POST", "/api/auth/roles", () -> "{\"code\":\"TMR" + System.nanoTime() % 1000000
                + "\",\"nameEn\":\"r\",\"nameZh\":\"r\",\"dataScope\":\"ASSIGNED\",\"permissions\":[]}", statuses(201), null));
        e.add(new Example("PUT", "/api/auth/roles/{throwawayRole}", "{\"nameEn\":\"r2\",\"nameZh\":\"r2\",\"dataScope\":\"ASSIGNED\",\"permissions\":[]}", 200));
        e.add(new Example("DELETE", "/api/auth/roles/{throwawayRole}", null, 204));
        e.add(new Example("GET", "/api/auth/audit?size=5", null, 200));
        e.add(new Example("GET", "/api/auth/audit/verification", null, 200));

        String s = "/api/datasources/" + sourceId;
        e.add(new Example("GET", "/api/datasources", null, 200));
        e.add(new Example("GET", s, null, 200));
        e.add(new Example("GET", s + "/schemas", null, 200));
        e.add(new Example("GET", s + "/schemas/" + db + "/tables", null, 200));
        e.add(new Example("GET", s + "/schemas/" + db + "/tables/" + E2eTable.TABLE + "/columns", null, 200));
        e.add(new Example("POST", "/api/datasources", () -> sourceBody("matrix new " + System.nanoTime()), statuses(201), null));
        e.add(new Example("PUT", s, () -> sourceBody("matrix " + run + " renamed"), statuses(200), null));
        e.add(new Example("POST", s + "/disable", null, 200));
        e.add(new Example("POST", s + "/enable", null, 200));
        e.add(new Example("POST", s + "/test", null, 200));
        e.add(new Example("POST", "/api/datasources/test", () -> sourceBody("probe"), statuses(200), null));
        e.add(new Example("POST", "/api/datasources/credentials/reseal", null, 200));
        e.add(new Example("DELETE", "/api/datasources/{throwawaySource}", null, 200));

        e.add(new Example("GET", "/api/tasks", null, 200));
        e.add(new Example("GET", t, null, 200));
        e.add(new Example("GET", "/api/tasks/statistics/daily", null, 200));
        e.add(new Example("GET", "/api/tasks/queue/snapshots", null, 200));
        e.add(new Example("POST", "/api/tasks", () -> "{\"definition\": " + TABLE.definition("tmc_" + run, "tmc_" + run) + "}",
                statuses(201), null));
        e.add(new Example("DELETE", "/api/tasks/tmc_" + run, null, 200));
        e.add(new Example("POST", "/api/tasks/validate", () -> "{\"definition\": " + TABLE.definition("tmv_" + run, "tmv_" + run)
                + "}", statuses(200), null));
        e.add(new Example("PUT", t, () -> "{\"definition\": " + TABLE.definition(taskId, taskId) + "}", statuses(200), null));
        e.add(new Example("POST", t + "/start", null, 200));
        e.add(new Example("GET", t + "/status", null, 200));
        e.add(new Example("POST", t + "/search", "{\"query\": \"matrix\", \"topK\": 3}", 200));
        e.add(new Example("GET", t + "/runs", null, 200));
        e.add(new Example("GET", t + "/runs/{run}/log", null, 200));
        e.add(new Example("POST", t + "/pause", null, 200));
        e.add(new Example("POST", t + "/resume", null, 200));
        e.add(new Example("POST", t + "/restart", null, 200));
        e.add(new Example("POST", t + "/full-sync", null, 200));
        e.add(new Example("POST", t + "/verifications?sample=2", null, 202));
        e.add(new Example("GET", t + "/verifications", null, 200));
        e.add(new Example("GET", t + "/verifications/{verification}", null, 200));
        e.add(new Example("POST", t + "/verifications/{verification}/repair", null, 202));
        e.add(new Example("GET", t + "/dead-letters", null, 200));
        e.add(new Example("POST", t + "/dead-letters/replay", null, 200));
        e.add(new Example("DELETE", t + "/dead-letters", null, 200));
        e.add(new Example("GET", t + "/dead-letters/none", () -> null, statuses(404), "no dead letter exists to read"));
        e.add(new Example("POST", t + "/dead-letters/none/replay", () -> null, statuses(404), "no dead letter exists to replay"));
        e.add(new Example("DELETE", t + "/dead-letters/none", () -> null, statuses(404), "no dead letter exists to discard"));
        e.add(new Example("POST", t + "/stop", null, 200));

        e.add(new Example("GET", "/api/monitor/events?limit=5", null, 200));
        e.add(new Example("GET", "/api/monitor/alerts/rules", null, 200));
        e.add(new Example("POST", "/api/monitor/alerts/silences", () -> "{\"reason\":\"matrix\"}", statuses(400),
                "a silence without its end time is refused"));
        return e;
    }

    @Test
    void everyRouteRefusesBadTokensAndWantsItsPermission() throws Exception {
        List<Example> examples = examples();
        // Every row of the table is reached by at least one example.
        Set<Integer> covered = new TreeSet<>();
        for (Example ex : examples) {
            String path = ex.path().replaceAll("\\{[a-zA-Z]+}", "1").replaceAll("\\?.*", "");
            covered.add(RoutePermissions.rules().indexOf(RoutePermissions.ruleFor(HttpMethod.valueOf(ex.method()), path)
                    .orElseThrow(() -> new AssertionError("no row for " + ex.method() + " " + path))));
        }
        for (int i = 0; i < RoutePermissions.rules().size(); i++) {
            if (!RoutePermissions.PUBLIC.equals(RoutePermissions.rules().get(i).permission())) {
                assertThat(covered).as("row %s of the route table has an example", RoutePermissions.rules().get(i))
                        .contains(i);
            }
        }

        List<String> report = new ArrayList<>();
        for (Example ex : examples) {
            String path = ex.path().replaceAll("\\?.*", "");
            String permission = RoutePermissions.ruleFor(HttpMethod.valueOf(ex.method()), path.replaceAll("\\{[a-zA-Z]+}", "1"))
                    .orElseThrow().permission();
            String holderCode = RoutePermissions.AUTHENTICATED.equals(permission) ? "" : permission;
            JsonNode holder = AuthClient.tokens(PASSWORDS.get(holderCode), PASSWORD);
            String valid = holder.get("accessToken").asText();
            String concrete = concretePath(ex.path());
            String body = ex.body().get();

            Map<String, String> refused = refusedTokens(valid, holder.get("refreshToken").asText(), holderCode);
            for (Map.Entry<String, String> bad : refused.entrySet()) {
                HttpResponse<String> r = call(ex.method(), concrete, bad.getValue(), body);
                assertThat(r.statusCode()).as("%s %s with %s: %s", ex.method(), concrete, bad.getKey(), r.body())
                        .isEqualTo(401);
                assertThat(read(r.body()).get("code").asText()).isEqualTo("DRS-4010");
                GatewayTransportIT.assertSecurityHeaders(r);
            }
            if (!RoutePermissions.AUTHENTICATED.equals(permission)) {
                String none = AuthClient.tokens(PASSWORDS.get(""), PASSWORD).get("accessToken").asText();
                HttpResponse<String> r = call(ex.method(), concrete, none, body);
                assertThat(r.statusCode()).as("%s %s without %s: %s", ex.method(), concrete, permission, r.body())
                        .isEqualTo(403);
                assertThat(read(r.body()).get("code").asText()).isEqualTo("DRS-4030");
            }
            beforeCall(concrete);
            HttpResponse<String> r = call(ex.method(), concrete, valid, body);
            assertThat(r.statusCode()).as("%s %s with only %s: %s", ex.method(), concrete,
                    permission.isEmpty() ? "a login" : permission, r.body()).isIn(ex.expected());
            GatewayTransportIT.assertSecurityHeaders(r);
            report.add(ex.method() + " " + ex.path() + " [" + (permission.equals("*") ? "login" : permission) + "] -> "
                    + r.statusCode() + (ex.why() == null ? "" : " (" + ex.why() + ")"));
            afterCall(concrete, valid);
        }
        System.out.println("TOKEN MATRIX " + examples.size() + " routes x 9 callers:\n  " + String.join("\n  ", report));
    }

    /** The seven kinds of token the gateway must refuse with 401. */
    private static Map<String, String> refusedTokens(String valid, String refresh, String holderCode) {
        JsonNode header = AuthClient.part(valid, 0);
        ObjectNode claims = (ObjectNode) AuthClient.part(valid, 1);
        long now = System.currentTimeMillis() / 1000;
        ObjectNode expired = claims.deepCopy();
        expired.put("iat", now - 1200).put("nbf", now - 1200).put("exp", now - 600);
        JsonNode loggedOut = AuthClient.tokens(PASSWORDS.get(holderCode), PASSWORD);
        String ended = loggedOut.get("accessToken").asText();
        assertThat(call("POST", "/api/auth/logout", ended, null).statusCode()).isEqualTo(204);
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("garbage", "garbage." + AuthClient.b64("x") + ".zz");
        tokens.put("alg none", AuthClient.b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + AuthClient.b64(claims.toString()) + ".");
        tokens.put("expired", AuthClient.signRs256(header.toString(), expired.toString(), AuthClient.suiteSigningKey()));
        tokens.put("forged key", AuthClient.signRs256(header.toString(), claims.toString(), forgedKey));
        tokens.put("refresh token", refresh);
        tokens.put("after logout", ended);
        return tokens;
    }

    private static final Map<String, String> PLACEHOLDERS = new LinkedHashMap<>();

    /** Fills {placeholders} with objects made for the call (a throwaway user, role, source; the task's run). */
    private static String concretePath(String path) throws Exception {
        String out = path;
        if (out.contains("{throwawayUser}")) {
            out = out.replace("{throwawayUser}", PLACEHOLDERS.computeIfAbsent("user", k -> {
                HttpResponse<String> r = call("POST", "/api/auth/users", admin, "{\"username\":\"tmthrow" + run
                        + "\",\"password\":\"Pw-throwaway-77x\",\"roles\":[]}");
                return read(r.body()).get("id").asText();
            }));
        }
        if (out.contains("{throwawayRole}")) {
            out = out.replace("{throwawayRole}", PLACEHOLDERS.computeIfAbsent("role", k -> {
                String code = "TMTHROW" + run.toUpperCase();
                call("POST", "/api/auth/roles", admin, "{\"code\":\"" + code + "\",\"nameEn\":\"t\",\"nameZh\":\"t\","
                        + "\"dataScope\":\"ASSIGNED\",\"permissions\":[]}");
                return code;
            }));
        }
        if (out.contains("{throwawaySource}")) {
            out = out.replace("{throwawaySource}", PLACEHOLDERS.computeIfAbsent("source", k -> read(call("POST",
                    "/api/datasources", admin, sourceBody("matrix throwaway " + run)).body()).get("id").asText()));
        }
        if (out.contains("{run}")) {
            out = out.replace("{run}", read(call("GET", "/api/tasks/" + taskId + "/runs", admin, null).body())
                    .get(0).get("id").asText());
        }
        if (out.contains("{verification}")) {
            String id = PLACEHOLDERS.computeIfAbsent("verification", k -> read(call("GET", "/api/tasks/" + taskId
                    + "/verifications", admin, null).body()).get(0).get("id").asText());
            // A repair wants a finished verification.
            org.awaitility.Awaitility.await("verification " + id + " finished").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> !"RUNNING".equals(read(call("GET", "/api/tasks/"
                            + taskId + "/verifications/" + id, admin, null).body()).path("state").asText()));
            out = out.replace("{verification}", id);
        }
        return out;
    }

    /** A verification must find something for its repair to be taken: one entity goes from Milvus behind the task's back. */
    private static void beforeCall(String concrete) throws Exception {
        if (concrete.contains("/verifications?")) {
            try (DataPathClient client = new DataPathClient()) {
                client.awaitMirror(TABLE, taskId, "before the verification");
                String key = new java.util.TreeSet<>(TABLE.expectedEntities().keySet()).first();
                client.milvus.delete(io.milvus.v2.service.vector.request.DeleteReq.builder().collectionName(taskId)
                        .ids(List.of(key)).build());
            }
        }
    }

    /** After a start the task must be running before it is paused; a changed password is set back. */
    private static void afterCall(String concrete, String callerToken) {
        if (concrete.equals("/api/auth/me/password")) {
            String id = read(call("GET", "/api/auth/me", AuthClient.tokens(PASSWORDS.get(""), "Pw-changed-matrix-9Z")
                    .get("accessToken").asText(), null).body()).get("id").asText();
            assertThat(call("POST", "/api/auth/users/" + id + "/password", admin,
                    "{\"newPassword\":\"" + PASSWORD + "\"}").statusCode()).isEqualTo(204);
        }
        if (concrete.endsWith("/start") || concrete.endsWith("/resume") || concrete.endsWith("/restart")
                || concrete.endsWith("/full-sync")) {
            org.awaitility.Awaitility.await(concrete + " took effect").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> "RUNNING".equals(read(call("GET", "/api/tasks/"
                            + taskId + "/status", admin, null).body()).path("state").asText()));
        }
    }

    /** Many requests at once from one address: some answer 429 with Retry-After, none 5xx. */
    @Test
    void requestsOverTheAddressLimitAnswer429WithRetryAfter() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(SuiteProcesses.gatewayTrust()).build();
        // 400 requests from 16 senders on kept-alive connections: well over 100 a second from
        // this address, without 400 TLS handshakes at once (which overflow the accept queue on
        // two cores and time out instead of being answered).
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            burst.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return client.send(HttpRequest.newBuilder(SuiteProcesses.gateway("/api/tasks")).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }, senders));
        }
        List<HttpResponse<String>> answers = burst.stream().map(CompletableFuture::join).toList();
        senders.shutdown();
        List<HttpResponse<String>> limited = answers.stream().filter(a -> a.statusCode() == 429).toList();
        assertThat(answers).allMatch(a -> a.statusCode() == 401 || a.statusCode() == 429);
        assertThat(limited).isNotEmpty();
        assertThat(limited.get(0).headers().firstValue("Retry-After")).contains("1");
        assertThat(read(limited.get(0).body()).get("code").asText()).isEqualTo("DRS-4290");
    }

    /** Through the gateway; a 429 (the per-address limit) is waited out as a client should. */
    static HttpResponse<String> call(String method, String path, String bearer, String json) {
        URI uri = SuiteProcesses.gateway(path);
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> r = AuthClient.call(method, uri, bearer, json);
            if (r.statusCode() != 429 || attempt == 5) {
                return r;
            }
            try {
                Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }
}
