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

    private InternalCredential() {
    }

    /** Constant-time comparison, so the answer's timing tells nothing about the expected value. */
    public static boolean matches(String expected, String presented) {
        if (expected == null || expected.isBlank() || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
