package com.datarsync.common.security;

/**
 * The Redis keys through which auth revokes access tokens before they expire, and which every
 * verifier (the gateway, each service) reads: a token is refused when its {@code jti} is denied
 * (logout), its {@code uep} claim is not the user's current epoch (password change, reset,
 * disable, delete, role change), or its session ({@code sid}) has ended (logout, a reused
 * refresh token): then every access token of that session stops at once.
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

    /** A live session: holds the user id while the session lasts; gone once it ended. */
    public static String session(String sessionId) {
        return PREFIX + "session:" + sessionId;
    }

    /** The keys a verifier reads for a token, in the order {@link #revoked} takes their values. */
    public static java.util.List<String> of(long userId, String tokenId, String sessionId) {
        return java.util.List.of(epoch(userId), denied(tokenId == null ? "" : tokenId),
                session(sessionId == null ? "" : sessionId));
    }

    /** True when the token's claims no longer stand, given the values read from {@link #of}'s keys. */
    public static boolean revoked(Number tokenEpoch, java.util.List<String> values) {
        if (values == null || values.size() < 3) {
            return true;
        }
        long current = values.get(0) == null ? 0 : Long.parseLong(values.get(0));
        return values.get(1) != null || values.get(2) == null || tokenEpoch == null || tokenEpoch.longValue() != current;
    }
}
