package com.datarsync.common.security;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * How often a verifier may fetch auth's key set. A token naming a key id the verifier does not
 * know makes the JWT library fetch the set again; without a bound, a stream of tokens with made-up
 * key ids would turn into a stream of fetches. Within the interval after a fetch, the set fetched
 * then is the answer (a made-up key id is still unknown and the token refused); a key auth really
 * published is seen at most one interval later.
 */
public final class KeySetFetchThrottle {

    /** The default interval: auth publishes a new key only when it starts with one. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Duration interval;
    private final Supplier<Instant> clock;
    private String lastSet;
    private Instant fetchedAt = Instant.MIN;

    public KeySetFetchThrottle(Duration interval, Supplier<Instant> clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** The set fetched less than an interval ago, or null when a fetch may go out now. */
    public synchronized String recent() {
        return lastSet != null && clock.get().isBefore(fetchedAt.plus(interval)) ? lastSet : null;
    }

    /** A set just fetched (a successful answer's body). */
    public synchronized void fetched(String keySet) {
        lastSet = keySet;
        fetchedAt = clock.get();
    }
}
