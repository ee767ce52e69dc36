package com.datarsync.common.security;

/**
 * The Redis keys through which auth revokes access tokens before they expire, and which every
 * verifier (the gateway, each service) reads: a token is refused when its {@code jti} is denied
 * (logout) or its {@code uep} claim is not the user's current epoch (password change, reset,
 * disable, delete, role change).
 */
public final class RevocationKeys {

    public static final String PREFIX = "datarsync:auth:";

    private RevocationKeys() {
    }

    public static String epoch(long userId) {
        return PREFIX + "epoch:" + userId;
    }

    public static String denied(String tokenId) {
        return PREFIX + "denied:" + tokenId;
    }

    /** True when the token's claims no longer stand, given the values read from the two keys. */
    public static boolean revoked(Number tokenEpoch, String currentEpoch, boolean denied) {
        long current = currentEpoch == null ? 0 : Long.parseLong(currentEpoch);
        return denied || tokenEpoch == null || tokenEpoch.longValue() != current;
    }
}
