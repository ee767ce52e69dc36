package com.datarsync.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Service-to-service calls (the task manager driving the stages, a stage asking data-source for
 * a task's credentials) carry this header with the suite's internal credential
 * ({@code DATARSYNC_INTERNAL_TOKEN}); {@code /internal/**} routes accept nothing else. The gateway
 * removes the header from every outside request and has no route to {@code /internal}.
 */
public final class InternalCredential {

    public static final String HEADER = "X-DataRsync-Internal";
    /** The property holding the credential (from DATARSYNC_INTERNAL_TOKEN). */
    public static final String PROPERTY = "datarsync.internal-token";

    /**
     * The header the gateway sets on every request it forwards (replacing any a client sent):
     * {@link #gatewayProof} of the internal credential. A service's {@code /api/**} answers only
     * requests carrying it (or the internal credential itself), so the gateway's TLS, rate limits
     * and audit cannot be walked around by calling a service's port.
     */
    public static final String GATEWAY_HEADER = "X-DataRsync-Gateway";

    private InternalCredential() {
    }

    /**
     * What the gateway presents: HMAC-SHA256 of a fixed label under the internal credential, so
     * it proves the sender holds the credential without being the credential (which would open
     * {@code /internal/**}). Null when no credential is configured: then nothing matches.
     */
    public static String gatewayProof(String internalToken) {
        if (internalToken == null || internalToken.isBlank()) {
            return null;
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(internalToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal("data-rsync-gateway".getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Constant-time comparison, so the answer's timing tells nothing about the expected value. */
    public static boolean matches(String expected, String presented) {
        if (expected == null || expected.isBlank() || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
