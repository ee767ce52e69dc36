package com.datarsync.auth.settings;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How auth issues and guards sessions.
 *
 * @param signingKeyFile PKCS#8 PEM RSA key access tokens are signed with (RS256)
 * @param issuer         the {@code iss} of every access token; verifiers require it
 * @param accessTokenTtl lifetime of an access token: short, since it is checked without a call to auth
 * @param sessionTtl     how long a login lasts when refreshed; refresh tokens rotate within it
 * @param throttle       failed-login limits
 * @param bootstrap      the first super administrator, created at first start
 */
@ConfigurationProperties("datarsync.auth")
public record AuthSettings(
        String signingKeyFile,
        @DefaultValue("data-rsync") String issuer,
        @DefaultValue("10m") Duration accessTokenTtl,
        @DefaultValue("7d") Duration sessionTtl,
        @DefaultValue Throttle throttle,
        @DefaultValue Bootstrap bootstrap) {

    /**
     * Failed logins within {@code window} are counted per account and address, per address and per
     * account. An account and address pair is locked after {@code pairFailures}, first for
     * {@code firstLock}, doubling up to {@code maxLock}; an address after {@code addressFailures}
     * for {@code maxLock}. An account under attack from many addresses is never locked: it gets
     * one attempt per {@code accountInterval} once it has {@code accountFailures}, so its owner
     * can still log in.
     */
    public record Throttle(
            @DefaultValue("15m") Duration window,
            @DefaultValue("5") int pairFailures,
            @DefaultValue("30s") Duration firstLock,
            @DefaultValue("15m") Duration maxLock,
            @DefaultValue("30") int addressFailures,
            @DefaultValue("20") int accountFailures,
            @DefaultValue("10s") Duration accountInterval) {
    }

    /** Username and password of the first super administrator; the password only from the environment. */
    public record Bootstrap(@DefaultValue("admin") String username, String password) {
    }
}
