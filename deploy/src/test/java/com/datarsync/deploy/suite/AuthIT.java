package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.AuthClient.call;
import static com.datarsync.deploy.suite.AuthClient.login;
import static com.datarsync.deploy.suite.AuthClient.quote;
import static com.datarsync.deploy.suite.AuthClient.read;
import static com.datarsync.deploy.suite.AuthClient.tokens;
import static com.datarsync.deploy.suite.SuiteProcesses.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Auth on the running suite, through the gateway: login with the first super administrator
 * (created from the generated secret), RS256 tokens that verify with the published JWKS, the
 * tokens it must refuse, refresh rotation with reuse detection, logout, password changes,
 * users under the policy without privilege escalation, custom roles, failed-login throttling
 * and the audit entries all of this leaves.
 */
class AuthIT extends RunningSuite {

    static String admin;
    static String run;

    @BeforeAll
    static void logIn() {
        admin = tokens("admin", AuthClient.adminPassword()).get("accessToken").asText();
        run = runId();
    }

    private static URI at(String path) {
        return gateway(path);
    }

    /** A strong password unique to the test, meeting the policy. */
    private static String password(String tag) {
        return "Pw-" + tag + "-" + run + "-X9z";
    }

    private static long createUser(String username, String password, List<String> roles) {
        HttpResponse<String> r = call("POST", at("/api/auth/users"), admin, "{\"username\":" + quote(username)
                + ",\"password\":" + quote(password) + ",\"roles\":" + JSON.valueToTree(roles) + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return read(r.body()).get("id").asLong();
    }

    @Test
    void loginIssuesAnRs256TokenThatVerifiesWithThePublishedKeys() throws Exception {
        HttpResponse<String> r = login(at("/"), "admin", AuthClient.adminPassword());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        JsonNode t = read(r.body());
        assertThat(t.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(t.get("expiresIn").asLong()).isBetween(1L, 600L);
        String token = t.get("accessToken").asText();

        JsonNode header = AuthClient.part(token, 0);
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        JsonNode jwks = read(call("GET", at("/api/auth/jwks"), null, null).body());
        JsonNode key = jwks.get("keys").get(0);
        assertThat(key.get("kid").asText()).isEqualTo(header.get("kid").asText());
        assertThat(key.has("d")).as("the JWKS must not carry the private exponent").isFalse();
        RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(key.get("n").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(key.get("e").asText()))));
        String[] parts = token.split("\\.");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(pub);
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        JsonNode claims = AuthClient.part(token, 1);
        assertThat(claims.get("preferred_username").asText()).isEqualTo("admin");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(600);
        JsonNode me = read(call("GET", at("/api/auth/me"), token, null).body());
        assertThat(me.get("roles").toString()).contains("SUPER_ADMIN");
        assertThat(me.get("permissions").toString()).contains("role:write", "audit:read");
        assertThat(me.has("passwordHash")).isFalse();
    }

    @Test
    void forgedExpiredUnsignedAndRefreshTokensAreRefused() throws Exception {
        JsonNode t = tokens("admin", AuthClient.adminPassword());
        String good = t.get("accessToken").asText();
        String header = AuthClient.part(good, 0).toString();
        ObjectNode claims = (ObjectNode) AuthClient.part(good, 1);
        long now = System.currentTimeMillis() / 1000;

        ObjectNode expired = claims.deepCopy();
        expired.put("iat", now - 1200).put("nbf", now - 1200).put("exp", now - 600);
        var otherKey = KeyPairGenerator.getInstance("RSA");
        otherKey.initialize(2048);

        String[] refused = {
            null,
            "garbage",
            AuthClient.b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + AuthClient.b64(claims.toString()) + ".",
            AuthClient.signRs256(header, expired.toString(), AuthClient.suiteSigningKey()),
            AuthClient.signRs256(header, claims.toString(), otherKey.generateKeyPair().getPrivate()),
            t.get("refreshToken").asText(),
            good.substring(0, good.lastIndexOf('.') + 1) + "AAAA",
        };
        for (String token : refused) {
            HttpResponse<String> r = call("GET", at("/api/auth/me"), token, null);
            assertThat(r.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(read(r.body()).get("code").asText()).isEqualTo("DRS-4010");
            assertThat(r.body()).doesNotContain("Exception", "at com.", "at org.");
        }
        // The same claims re-signed with the real key pass: the refusals above are about the token.
        assertThat(call("GET", at("/api/auth/me"), AuthClient.signRs256(header, claims.toString(),
                AuthClient.suiteSigningKey()), null).statusCode()).isEqualTo(200);
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenEndsTheSession() {
        JsonNode first = tokens("admin", AuthClient.adminPassword());
        String r1 = first.get("refreshToken").asText();
        HttpResponse<String> rotated = call("POST", at("/api/auth/refresh"), null, "{\"refreshToken\":" + quote(r1) + "}");
        assertThat(rotated.statusCode()).isEqualTo(200);
        String r2 = read(rotated.body()).get("refreshToken").asText();
        assertThat(r2).isNotEqualTo(r1);
        assertThat(call("GET", at("/api/auth/me"), read(rotated.body()).get("accessToken").asText(), null).statusCode())
                .isEqualTo(200);

        // r1 again: a stolen copy. Refused, and the family goes: r2 no longer works either, nor
        // does any access token of the session (the first one and the rotated one), at the
        // gateway and at a service behind it alike.
        assertThat(call("POST", at("/api/auth/refresh"), null, "{\"refreshToken\":" + quote(r1) + "}").statusCode())
                .isEqualTo(401);
        assertThat(call("POST", at("/api/auth/refresh"), null, "{\"refreshToken\":" + quote(r2) + "}").statusCode())
                .isEqualTo(401);
        for (String access : List.of(first.get("accessToken").asText(), read(rotated.body()).get("accessToken").asText())) {
            assertThat(call("GET", at("/api/auth/me"), access, null).statusCode()).isEqualTo(401);
            assertThat(call("GET", SuiteProcesses.direct("task-manager", "/api/tasks"), access, null).statusCode())
                    .isEqualTo(401);
        }
        assertThat(call("GET", at("/api/auth/me"), admin, null).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutEndsTheAccessTokenAndTheSession() {
        JsonNode t = tokens("admin", AuthClient.adminPassword());
        String access = t.get("accessToken").asText();
        assertThat(call("GET", at("/api/auth/me"), access, null).statusCode()).isEqualTo(200);
        // A second access token of the same session (from a refresh), still valid for minutes.
        HttpResponse<String> refreshed = call("POST", at("/api/auth/refresh"), null,
                "{\"refreshToken\":" + quote(t.get("refreshToken").asText()) + "}");
        String sibling = read(refreshed.body()).get("accessToken").asText();
        assertThat(call("GET", at("/api/auth/me"), sibling, null).statusCode()).isEqualTo(200);
        assertThat(call("POST", at("/api/auth/logout"), access, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", at("/api/auth/me"), access, null).statusCode()).isEqualTo(401);
        // Logout ends the session: its other access token stops too, at a service as at the gateway.
        assertThat(call("GET", at("/api/auth/me"), sibling, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", SuiteProcesses.direct("task-manager", "/api/tasks"), sibling, null).statusCode())
                .isEqualTo(401);
        t = read(refreshed.body());
        assertThat(call("POST", at("/api/auth/refresh"), null,
                "{\"refreshToken\":" + quote(t.get("refreshToken").asText()) + "}").statusCode()).isEqualTo(401);
        // Other sessions of the same user are untouched.
        assertThat(call("GET", at("/api/auth/me"), admin, null).statusCode()).isEqualTo(200);
    }

    @Test
    void usersMeetThePolicyAndNobodyGrantsMoreThanTheyHold() {
        String weak = call("POST", at("/api/auth/users"), admin,
                "{\"username\":\"weak" + run + "\",\"password\":\"short\",\"roles\":[\"VIEWER\"]}").body();
        assertThat(read(weak).get("code").asText()).isEqualTo("DRS-4000");
        assertThat(read(weak).at("/details/fields/password").asText()).contains("at least 12 characters");

        String opName = "op" + run;
        createUser(opName, password("op"), List.of("OPERATOR"));
        String op = tokens(opName, password("op")).get("accessToken").asText();
        assertThat(call("GET", at("/api/auth/users"), op, null).statusCode()).isEqualTo(403);
        assertThat(call("GET", at("/api/auth/audit"), op, null).statusCode()).isEqualTo(403);
        assertThat(read(call("GET", at("/api/auth/me"), op, null).body()).get("allDataSources").asBoolean()).isFalse();

        String adName = "ad" + run;
        createUser(adName, password("ad"), List.of("ADMIN"));
        String ad = tokens(adName, password("ad")).get("accessToken").asText();
        // An administrator manages users but cannot make a super administrator or define roles.
        HttpResponse<String> escalate = call("POST", at("/api/auth/users"), ad, "{\"username\":\"sa" + run
                + "\",\"password\":" + quote(password("sa")) + ",\"roles\":[\"SUPER_ADMIN\"]}");
        assertThat(escalate.statusCode()).isEqualTo(403);
        long superId = read(call("GET", at("/api/auth/me"), admin, null).body()).get("id").asLong();
        assertThat(call("PUT", at("/api/auth/users/" + superId), ad, "{\"enabled\":false}").statusCode())
                .isEqualTo(403);
        assertThat(call("POST", at("/api/auth/roles"), ad, "{\"code\":\"AUD" + run.toUpperCase()
                + "\",\"nameEn\":\"Auditor\",\"nameZh\":\"审计员\",\"dataScope\":\"ASSIGNED\",\"permissions\":[\"audit:read\"]}")
                .statusCode()).isEqualTo(403);

        // The super administrator defines a custom role; its holder reads the audit log and nothing else.
        String role = "AUD" + run.toUpperCase();
        assertThat(call("POST", at("/api/auth/roles"), admin, "{\"code\":\"" + role
                + "\",\"nameEn\":\"Auditor\",\"nameZh\":\"审计员\",\"dataScope\":\"ASSIGNED\",\"permissions\":[\"audit:read\"]}")
                .statusCode()).isEqualTo(201);
        String audName = "aud" + run;
        createUser(audName, password("aud"), List.of(role));
        String aud = tokens(audName, password("aud")).get("accessToken").asText();
        assertThat(call("GET", at("/api/auth/audit?size=5"), aud, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", at("/api/auth/users"), aud, null).statusCode()).isEqualTo(403);
        // Built-in roles are fixed; a role in use cannot be deleted.
        assertThat(call("DELETE", at("/api/auth/roles/VIEWER"), admin, null).statusCode()).isEqualTo(409);
        assertThat(call("DELETE", at("/api/auth/roles/" + role), admin, null).statusCode()).isEqualTo(409);
    }

    @Test
    void aUserSaysWhereAlertsReachThemWellFormedOrNotAtAll() {
        String name = "contact" + run;
        HttpResponse<String> bad = call("POST", at("/api/auth/users"), admin, "{\"username\":" + quote(name)
                + ",\"password\":" + quote(password("contact")) + ",\"roles\":[\"VIEWER\"],\"email\":\"ann@\","
                + "\"phone\":\"12\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(read(bad.body()).path("details").path("fields").has("email")).as(bad.body()).isTrue();
        assertThat(read(bad.body()).path("details").path("fields").has("phone")).as(bad.body()).isTrue();

        HttpResponse<String> made = call("POST", at("/api/auth/users"), admin, "{\"username\":" + quote(name)
                + ",\"password\":" + quote(password("contact")) + ",\"roles\":[\"VIEWER\"],"
                + "\"email\":\" ann." + run + "@example.com \",\"phone\":\"+8613912345678\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        long id = read(made.body()).get("id").asLong();
        JsonNode got = read(call("GET", at("/api/auth/users/" + id), admin, null).body());
        assertThat(got.path("email").asText()).isEqualTo("ann." + run + "@example.com");
        assertThat(got.path("phone").asText()).isEqualTo("+8613912345678");

        // "" clears one; what is not sent stays.
        JsonNode changed = read(call("PUT", at("/api/auth/users/" + id), admin, "{\"email\":\"\"}").body());
        assertThat(changed.path("email").isNull()).as(changed.toString()).isTrue();
        assertThat(changed.path("phone").asText()).isEqualTo("+8613912345678");
    }

    @Test
    void nobodyChangesTheirOwnAccessOrResetsTheirOwnPasswordThroughTheAdministratorRoutes() {
        String name = "self" + run;
        long id = createUser(name, password("self"), List.of("ADMIN"));
        String own = tokens(name, password("self")).get("accessToken").asText();

        for (String change : List.of("{\"enabled\":false}", "{\"roles\":[\"VIEWER\"]}", "{\"dataSourceIds\":[1]}")) {
            HttpResponse<String> refused = call("PUT", at("/api/auth/users/" + id), own, change);
            assertThat(refused.statusCode()).as(change).isEqualTo(409);
            assertThat(read(refused.body()).get("code").asText()).isEqualTo("DRS-4090");
        }
        HttpResponse<String> reset = call("POST", at("/api/auth/users/" + id + "/password"), own,
                "{\"newPassword\":" + quote(password("self2")) + "}");
        assertThat(reset.statusCode()).isEqualTo(409);
        assertThat(read(reset.body()).get("message").asText()).contains("/api/auth/me/password");
        // A display name is no change of access: allowed, and the session goes on.
        assertThat(call("PUT", at("/api/auth/users/" + id), own, "{\"displayName\":\"Self\"}").statusCode())
                .isEqualTo(200);
        JsonNode me = read(call("GET", at("/api/auth/me"), own, null).body());
        assertThat(me.get("roles").toString()).contains("ADMIN");
        assertThat(me.path("enabled").asBoolean(true)).isTrue();
        // Another administrator may.
        assertThat(call("PUT", at("/api/auth/users/" + id), admin, "{\"enabled\":false}").statusCode()).isEqualTo(200);
        assertThat(call("GET", at("/api/auth/me"), own, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aPasswordChangeEndsEverySessionOfTheUser() {
        String name = "pw" + run;
        long id = createUser(name, password("one"), List.of("VIEWER"));
        JsonNode t = tokens(name, password("one"));
        String access = t.get("accessToken").asText();
        JsonNode other = tokens(name, password("one"));

        assertThat(call("PUT", at("/api/auth/me/password"), access, "{\"currentPassword\":\"wrong-Pass-123\","
                + "\"newPassword\":" + quote(password("two")) + "}").statusCode()).isEqualTo(400);
        assertThat(call("PUT", at("/api/auth/me/password"), access, "{\"currentPassword\":" + quote(password("one"))
                + ",\"newPassword\":" + quote(password("two")) + "}").statusCode()).isEqualTo(204);

        assertThat(call("GET", at("/api/auth/me"), access, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", at("/api/auth/me"), other.get("accessToken").asText(), null).statusCode()).isEqualTo(401);
        assertThat(call("POST", at("/api/auth/refresh"), null,
                "{\"refreshToken\":" + quote(other.get("refreshToken").asText()) + "}").statusCode()).isEqualTo(401);
        assertThat(login(at("/"), name, password("one")).statusCode()).isEqualTo(401);
        String fresh = tokens(name, password("two")).get("accessToken").asText();
        assertThat(read(call("GET", at("/api/auth/me"), fresh, null).body()).get("id").asLong()).isEqualTo(id);

        // An administrator's reset ends the sessions too.
        assertThat(call("POST", at("/api/auth/users/" + id + "/password"), admin,
                "{\"newPassword\":" + quote(password("three")) + "}").statusCode()).isEqualTo(204);
        assertThat(call("GET", at("/api/auth/me"), fresh, null).statusCode()).isEqualTo(401);
    }

    /**
     * Straight to auth's port as the gateway forwards (its proof header), whose X-Forwarded-For
     * auth trusts: so the test can speak from several addresses.
     */
    @Test
    void failedLoginsAreThrottledPerAccountAndAddressWithoutLockingTheOwnerOut() {
        String name = "th" + run;
        createUser(name, password("th"), List.of("VIEWER"));
        URI auth = SuiteProcesses.direct("auth", "/api/auth/login");
        String attacker = "203.0.113." + (1 + Math.floorMod(run.hashCode(), 200));
        for (int i = 0; i < 5; i++) {
            assertThat(loginFrom(auth, attacker, name, "Wrong-password-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = loginFrom(auth, attacker, name, password("th"));
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(read(locked.body()).get("code").asText()).isEqualTo("DRS-4290");
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
        // The owner, elsewhere, still gets in.
        assertThat(loginFrom(auth, "198.51.100.7", name, password("th")).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> loginFrom(URI uri, String address, String user, String password) {
        return SuiteProcesses.send(SuiteProcesses.asForwardedByTheGateway(java.net.http.HttpRequest.newBuilder(uri))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":" + quote(user)
                        + ",\"password\":" + quote(password) + "}")));
    }

    @Test
    void loginsAndUserChangesAreAuditedWithoutSecretsAndTheChainHolds() throws Exception {
        String name = "au" + run;
        String secret = password("au");
        createUser(name, secret, List.of("VIEWER"));
        assertThat(login(at("/"), name, "Not-the-password-1").statusCode()).isEqualTo(401);
        tokens(name, secret);

        JsonNode page = read(call("GET", at("/api/auth/audit?actor=" + name + "&size=50"), admin, null).body());
        List<String> seen = new java.util.ArrayList<>();
        page.get("items").forEach(e -> seen.add(e.get("action").asText() + ":" + e.get("outcome").asText()));
        assertThat(seen).contains("auth.login:FAILURE", "auth.login:SUCCESS");
        JsonNode created = read(call("GET", at("/api/auth/audit?action=user.create&size=200"), admin, null).body());
        assertThat(created.get("items").toString()).contains("user:" + name).doesNotContain(secret);
        assertThat(page.toString()).doesNotContain(secret, "Not-the-password-1");

        // Nothing in the database holds the password in the clear either.
        try (Connection c = DriverManager.getConnection(LocalInfra.get().mariaDbUrl("datarsync_meta"),
                LocalInfra.get().dbUser(), LocalInfra.get().dbPassword());
             var rs = c.createStatement().executeQuery(
                     "SELECT password_hash FROM auth_user WHERE username = '" + name + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("$argon2id$").doesNotContain(secret);
        }
        // There is no route that edits or removes entries.
        assertThat(call("DELETE", at("/api/auth/audit"), admin, null).statusCode()).isIn(403, 404, 405);
        JsonNode verification = read(call("GET", at("/api/auth/audit/verification"), admin, null).body());
        assertThat(verification.get("intact").asBoolean()).as(verification.toString()).isTrue();
    }
}
