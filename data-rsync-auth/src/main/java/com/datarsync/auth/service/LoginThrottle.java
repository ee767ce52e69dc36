package com.datarsync.auth.service;

import com.datarsync.auth.settings.AuthSettings;
import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.web.ServletApiExceptionHandler;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing without handing an attacker a way to lock a user out for good.
 *
 * <ul>
 *   <li>account + address: after a few failures that pair waits, 30 s doubling up to 15 min
 *       (the guesser at one address is stopped; the owner elsewhere is not);</li>
 *   <li>address: after many failures over any accounts, the address waits the longest lock
 *       (one address spraying many accounts);</li>
 *   <li>account: failures from many addresses never lock it; past a threshold it takes one
 *       attempt per interval, so a distributed guesser gets a few tries a minute and the owner
 *       still gets in.</li>
 * </ul>
 * Counters live in Redis for the window and are shared by every auth instance. Unknown
 * usernames are counted like known ones, so answers do not tell which accounts exist.
 */
@Component
public class LoginThrottle {

    private static final String PREFIX = SessionStore.PREFIX + "login:";

    private final StringRedisTemplate redis;
    private final AuthSettings.Throttle limits;

    public LoginThrottle(StringRedisTemplate redis, AuthSettings settings) {
        this.redis = redis;
        this.limits = settings.throttle();
    }

    /** Refuses with DRS-4290 and Retry-After while this attempt must wait. */
    public void admit(String username, String address) {
        String account = account(username);
        refuseWhileLocked(PREFIX + "lock-pair:" + account + "|" + address);
        refuseWhileLocked(PREFIX + "lock-address:" + address);
        if (count(PREFIX + "fail-account:" + account) >= limits.accountFailures()
                && !Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(PREFIX + "slot-account:" + account, "1",
                limits.accountInterval()))) {
            refuseWhileLocked(PREFIX + "slot-account:" + account);
        }
    }

    public void failed(String username, String address) {
        String account = account(username);
        long pair = increment(PREFIX + "fail-pair:" + account + "|" + address);
        if (pair >= limits.pairFailures()) {
            int doublings = (int) Math.min(20, pair - limits.pairFailures());
            Duration lock = limits.firstLock().multipliedBy(1L << doublings);
            redis.opsForValue().set(PREFIX + "lock-pair:" + account + "|" + address, "1",
                    lock.compareTo(limits.maxLock()) > 0 ? limits.maxLock() : lock);
        }
        if (increment(PREFIX + "fail-address:" + address) >= limits.addressFailures()) {
            redis.opsForValue().set(PREFIX + "lock-address:" + address, "1", limits.maxLock());
        }
        increment(PREFIX + "fail-account:" + account);
    }

    /** A good password clears this pair's record (not the account's or the address's). */
    public void succeeded(String username, String address) {
        String account = account(username);
        redis.delete(PREFIX + "fail-pair:" + account + "|" + address);
        redis.delete(PREFIX + "lock-pair:" + account + "|" + address);
    }

    private void refuseWhileLocked(String key) {
        Long seconds = redis.getExpire(key, TimeUnit.SECONDS);
        if (seconds != null && seconds >= 0 && Boolean.TRUE.equals(redis.hasKey(key))) {
            long wait = Math.max(1, seconds);
            throw new DataRsyncException(ErrorCode.RATE_LIMITED,
                    "Too many failed logins: try again in " + wait + " s",
                    Map.of(ServletApiExceptionHandler.RETRY_AFTER_SECONDS, wait), null);
        }
    }

    private long increment(String key) {
        Long n = redis.opsForValue().increment(key);
        if (n != null && n == 1) {
            redis.expire(key, limits.window());
        }
        return n == null ? 0 : n;
    }

    private long count(String key) {
        String n = redis.opsForValue().get(key);
        return n == null ? 0 : Long.parseLong(n);
    }

    private static String account(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }
}
