package com.datarsync.monitor.infra.channel;

import com.datarsync.monitor.domain.AlertMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a message through a configured channel by its kind, trying again after a pause when the
 * far end could not be reached or refused (a robot's rate limit passes), at most
 * {@code attempts} times; every attempt is returned for the alert history.
 */
public final class ChannelDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ChannelDispatcher.class);

    /** One try: its number, when, whether delivered, and the answer (or why it could not be sent). */
    public record Attempt(int number, Instant at, boolean delivered, String answer) {
    }

    private final Map<String, AlertChannel> channels;
    private final int attempts;
    private final Duration pause;
    private final Clock clock;

    public ChannelDispatcher(List<AlertChannel> channels, int attempts, Duration pause, Clock clock) {
        this.channels = channels.stream().collect(Collectors.toMap(AlertChannel::kind, Function.identity()));
        this.attempts = attempts;
        this.pause = pause;
        this.clock = clock;
    }

    /** The channel kinds there are. */
    public java.util.Set<String> kinds() {
        return channels.keySet();
    }

    /** Checks a configuration before it is stored (IllegalArgumentException naming what is wrong). */
    public void validate(ChannelConfig config) {
        channel(config.kind()).validate(config);
    }

    public List<Attempt> deliver(ChannelConfig config, AlertMessage message) throws InterruptedException {
        AlertChannel channel = channel(config.kind());
        List<Attempt> out = new ArrayList<>();
        for (int n = 1; n <= attempts; n++) {
            Instant at = clock.instant();
            try {
                Delivery delivery = channel.send(config, message);
                out.add(new Attempt(n, at, delivery.delivered(), delivery.answer()));
                if (delivery.delivered()) {
                    return out;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception unreachable) {
                String why = unreached(unreachable);
                if (config.secret() != null && !config.secret().isEmpty()) {
                    why = why.replace(config.secret(), "***");
                }
                out.add(new Attempt(n, at, false, Delivery.of(false, why).answer()));
            }
            log.warn("Alert {} not delivered through channel {} (attempt {} of {}): {}", message.rule(), config.name(),
                    n, attempts, out.get(out.size() - 1).answer());
            if (n < attempts) {
                Thread.sleep(pause.multipliedBy(n).toMillis());
            }
        }
        return out;
    }

    /**
     * Why the far end was not reached, in the exceptions' own words but without their class
     * names: the history is shown in answers, which never name a Java class.
     */
    static String unreached(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = e.getMessage() == null ? "no reason given" : e.getMessage();
        String inner = root == e || root.getMessage() == null ? "" : " (" + root.getMessage() + ")";
        return "not reached: " + (outer + inner).replaceAll("\\b[\\w.$]*(Exception|Error)\\b:?\\s*", "");
    }

    private AlertChannel channel(String kind) {
        AlertChannel channel = channels.get(kind);
        if (channel == null) {
            throw new IllegalArgumentException("kind '" + kind + "' is not one of " + new java.util.TreeSet<>(channels.keySet()));
        }
        return channel;
    }
}
