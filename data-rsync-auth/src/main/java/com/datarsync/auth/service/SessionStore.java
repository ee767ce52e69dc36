package com.datarsync.auth.service;

import com.datarsync.auth.settings.AuthSettings;
import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Sessions and revocations, in Redis (shared by every auth instance and read by the gateway).
 *
 * <p>A login starts a session (a refresh-token family). A refresh token is an opaque random
 * string, stored only as its SHA-256; it can be used once, and its use hands out the next one
 * of the same family. Using one a second time means it was stolen (or the client is broken): the
 * whole family is revoked, so neither the thief nor the owner can go on with it (OAuth 2.0
 * Security BCP, refresh token rotation).
 *
 * <p>Keys ({@code datarsync:auth:}…): {@code session:<sid>} (user id; lives as long as the
 * session), {@code user-sessions:<uid>} (set of sids), {@code refresh:<sha256>} ("sid|uid"),
 * {@code refresh-used:<sha256>}, {@code epoch:<uid>} (access tokens carrying an older
 * {@code uep} are refused), {@code denied:<jti>} (an access token ended by logout).
 */
@Component
public class SessionStore {

    static final String PREFIX = com.datarsync.common.security.RevocationKeys.PREFIX;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StringRedisTemplate redis;
    private final AuthSettings settings;
    private final Clock clock;

    public SessionStore(StringRedisTemplate redis, AuthSettings settings, Clock clock) {
        this.redis = redis;
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts a session for the user; answers its first refresh token. */
    public Refresh start(long userId) {
        String sid = randomToken(16);
        redis.opsForValue().set(com.datarsync.common.security.RevocationKeys.session(sid), Long.toString(userId), settings.sessionTtl());
        redis.opsForSet().add(PREFIX + "user-sessions:" + userId, sid);
        redis.expire(PREFIX + "user-sessions:" + userId, settings.sessionTtl());
        return next(sid, userId);
    }

    /**
     * Spends a refresh token: answers the next one of its session, or refuses (unknown, expired,
     * revoked; or used before, which revokes the session).
     */
    public Refresh rotate(String refreshToken) {
        String hash = sha256(refreshToken == null ? "" : refreshToken);
        String holder = redis.opsForValue().get(PREFIX + "refresh:" + hash);
        if (holder == null) {
            throw unauthorized("The refresh token is unknown, expired or revoked");
        }
        String sid = holder.substring(0, holder.indexOf('|'));
        long userId = Long.parseLong(holder.substring(holder.indexOf('|') + 1));
        Duration left = sessionLeft(sid);
        if (left == null) {
            throw unauthorized("The session has ended");
        }
        Boolean first = redis.opsForValue().setIfAbsent(PREFIX + "refresh-used:" + hash, "1", left);
        if (!Boolean.TRUE.equals(first)) {
            end(sid, userId);
            throw new RefreshReuse(userId, sid);
        }
        return next(sid, userId);
    }

    /** The user of a live session, or null when the session has ended. */
    public Long sessionUser(String sid) {
        String user = redis.opsForValue().get(com.datarsync.common.security.RevocationKeys.session(sid));
        return user == null ? null : Long.valueOf(user);
    }

    /** Ends one session: its refresh tokens stop working, and so do its access tokens (verifiers read the session key). */
    public void end(String sid, long userId) {
        redis.delete(com.datarsync.common.security.RevocationKeys.session(sid));
        redis.opsForSet().remove(PREFIX + "user-sessions:" + userId, sid);
    }

    /** Logout: the access token presented stops working now, not at its expiry. */
    public void deny(String accessTokenId, Instant expiresAt) {
        Duration left = Duration.between(clock.instant(), expiresAt);
        if (!left.isNegative() && !left.isZero()) {
            redis.opsForValue().set(com.datarsync.common.security.RevocationKeys.denied(accessTokenId), "1",
                    left.plusSeconds(61));
        }
    }

    public boolean denied(String accessTokenId) {
        return Boolean.TRUE.equals(redis.hasKey(com.datarsync.common.security.RevocationKeys.denied(accessTokenId)));
    }

    /** The user's revocation epoch: access tokens from an older epoch are refused. */
    public long epoch(long userId) {
        String value = redis.opsForValue().get(com.datarsync.common.security.RevocationKeys.epoch(userId));
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Every access token of the user stops working; sessions go on (a refresh picks up the change). */
    public void expireAccessTokens(long userId) {
        redis.opsForValue().increment(com.datarsync.common.security.RevocationKeys.epoch(userId));
    }

    /** Password change, reset, disable, delete: every token and session of the user ends. */
    public void endAll(long userId) {
        expireAccessTokens(userId);
        Set<String> sids = redis.opsForSet().members(PREFIX + "user-sessions:" + userId);
        if (sids != null) {
            sids.forEach(sid -> redis.delete(com.datarsync.common.security.RevocationKeys.session(sid)));
        }
        redis.delete(PREFIX + "user-sessions:" + userId);
    }

    private Refresh next(String sid, long userId) {
        Duration left = sessionLeft(sid);
        String token = randomToken(32);
        redis.opsForValue().set(PREFIX + "refresh:" + sha256(token), sid + "|" + userId, left);
        return new Refresh(token, sid, userId, clock.instant().plus(left));
    }

    private Duration sessionLeft(String sid) {
        Long millis = redis.getExpire(com.datarsync.common.security.RevocationKeys.session(sid), java.util.concurrent.TimeUnit.MILLISECONDS);
        return millis == null || millis <= 0 ? null : Duration.ofMillis(millis);
    }

    private static String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static DataRsyncException unauthorized(String message) {
        return new DataRsyncException(ErrorCode.UNAUTHORIZED, message);
    }

    /** A refresh token of the session, with when the session ends. */
    public record Refresh(String token, String sessionId, long userId, Instant sessionExpiresAt) {
    }

    /** A refresh token came back a second time: its session is revoked. */
    public static final class RefreshReuse extends DataRsyncException {
        private final long userId;
        private final String sessionId;

        RefreshReuse(long userId, String sessionId) {
            super(ErrorCode.UNAUTHORIZED, "The refresh token was already used: the session is revoked");
            this.userId = userId;
            this.sessionId = sessionId;
        }

        public long userId() {
            return userId;
        }

        public String sessionId() {
            return sessionId;
        }
    }
}
