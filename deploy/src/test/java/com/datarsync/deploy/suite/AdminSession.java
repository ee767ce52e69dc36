package com.datarsync.deploy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One login as the suite's first super administrator, renewed a minute before its token expires. */
final class AdminSession {

    private static String token;
    private static Instant expires = Instant.EPOCH;

    private AdminSession() {
    }

    static synchronized String accessToken() {
        if (Instant.now().isAfter(expires.minusSeconds(60))) {
            JsonNode t = AuthClient.tokens("admin", AuthClient.adminPassword());
            token = t.get("accessToken").asText();
            expires = Instant.now().plusSeconds(t.get("expiresIn").asLong());
        }
        return token;
    }

    /** After the suite's services restart (Redis kept), the token still holds; this forces a new login. */
    static synchronized void forget() {
        expires = Instant.EPOCH;
    }
}
