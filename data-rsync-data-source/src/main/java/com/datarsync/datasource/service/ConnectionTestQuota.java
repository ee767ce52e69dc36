package com.datarsync.datasource.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.web.ServletApiExceptionHandler;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Connection tests a user may ask for per minute (all data-source instances together, counted in
 * Redis per user and minute): a test connects wherever it is told, so without a bound the
 * endpoint would map the open ports of any host at the gateway's request rate. Over the bound:
 * 429 DRS-4290 with Retry-After. Without Redis no test runs (503), rather than an unbounded one.
 */
@Component
public class ConnectionTestQuota {

    static final String PREFIX = "datarsync:datasource:connection-tests:";

    private final StringRedisTemplate redis;
    private final int perMinute;

    public ConnectionTestQuota(StringRedisTemplate redis,
            @Value("${datarsync.data-source.connection-tests-per-minute:30}") int perMinute) {
        this.redis = redis;
        this.perMinute = perMinute;
    }

    /** Counts one test of the calling user, or refuses it. */
    public void acquire() {
        long now = System.currentTimeMillis();
        String key = PREFIX + caller() + ":" + now / 60_000;
        Long count;
        try {
            count = redis.opsForValue().increment(key);
            if (count != null && count == 1) {
                redis.expire(key, Duration.ofMinutes(2));
            }
        } catch (DataAccessException e) {
            throw new DataRsyncException(ErrorCode.SERVICE_UNAVAILABLE, "Connection tests are counted per user in "
                    + "Redis, which cannot be reached; try again shortly", Map.of(), null);
        }
        if (count != null && count > perMinute) {
            long wait = Math.max(1, 60 - (now / 1000) % 60);
            throw new DataRsyncException(ErrorCode.RATE_LIMITED, "At most " + perMinute + " connection tests a minute "
                    + "per user: try again in " + wait + " s",
                    Map.of(ServletApiExceptionHandler.RETRY_AFTER_SECONDS, wait), null);
        }
    }

    /** The user's id (the token's subject); the suite's own calls count as one caller. */
    private static String caller() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return who == null ? "anonymous" : who.getName();
    }
}
