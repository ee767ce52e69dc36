package com.datarsync.deploy.suite;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Calls with a bearer token, logins, and JWTs built by hand (RS256 with java.security, not the
 * product's code) for tests of what the product accepts.
 */
final class AuthClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthClient() {
    }

    static String adminPassword() {
        return LocalInfra.get().value("DATARSYNC_ADMIN_PASSWORD");
    }

    static HttpResponse<String> call(String method, URI uri, String bearer, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (uri.getPort() != LocalInfra.get().port("gateway") && uri.getPath().startsWith("/api/")) {
            // Straight to a service, as the gateway forwards (the service checks the token itself).
            SuiteProcesses.asForwardedByTheGateway(b);
        }
        return SuiteProcesses.send(b);
    }

    static HttpResponse<String> login(URI base, String username, String password) {
        return call("POST", base.resolve("/api/auth/login"), null,
                "{\"username\":" + quote(username) + ",\"password\":" + quote(password) + "}");
    }

    /** Logs in through the gateway and answers the token pair; fails the test when refused. */
    static JsonNode tokens(String username, String password) {
        HttpResponse<String> r = login(SuiteProcesses.gateway("/"), username, password);
        // A 429 right after a burst from this address (TokenMatrixIT floods the gateway on
        // purpose) is waited out as a client should, a few times at most.
        for (int attempt = 0; r.statusCode() == 429 && attempt < 5; attempt++) {
            long seconds = Long.parseLong(r.headers().firstValue("Retry-After").orElse("1"));
            try {
                Thread.sleep(1000L * Math.min(seconds, 5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            r = login(SuiteProcesses.gateway("/"), username, password);
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login of " + username + " answered " + r.statusCode() + ": " + r.body());
        }
        return read(r.body());
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode part(String jwt, int index) {
        return read(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
    }

    /** header.payload signed RS256 with the given key. */
    static String signRs256(String headerJson, String payloadJson, PrivateKey key) {
        try {
            String input = b64(headerJson) + "." + b64(payloadJson);
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The suite's real signing key, read from the work directory (for tokens the suite would sign but must refuse). */
    static PrivateKey suiteSigningKey() {
        try {
            String pem = Files.readString(LocalInfra.get().work().resolve("jwt-signing-key.pem"));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException("the suite's signing key cannot be read", e);
        }
    }
}
