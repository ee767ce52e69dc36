package com.datarsync.monitor.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a log search asks for: a time window {@code [from, to)}, optionally some services, a
 * lowest level, one task and a text (case-insensitive, in the message or the stack trace), and
 * how many of the newest matching lines to answer.
 */
public record LogQuery(Instant from, Instant to, Set<String> services, Level minLevel, String task, String text,
        int limit) {

    public static final int MAX_LIMIT = 1_000;
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    /** Logback's levels, lowest first. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    public LogQuery {
        services = services == null ? Set.of()
                : services.stream().map(LogLine::shortServiceName).collect(Collectors.toUnmodifiableSet());
        text = text == null || text.isBlank() ? null : text.toLowerCase(Locale.ROOT);
        task = task == null || task.isBlank() ? null : task;
    }

    /** The problems with this query, each naming its parameter; empty when it can run. */
    public List<String> violations() {
        List<String> out = new java.util.ArrayList<>();
        if (!from.isBefore(to)) {
            out.add("from: must be before to");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            out.add("limit: 1 to " + MAX_LIMIT);
        }
        return out;
    }

    public boolean covers(Instant at) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    /** Whether a raw line may match, by a cheap look at its text before it is parsed. */
    public boolean mayMatch(String raw) {
        return task == null || raw.contains("\"task\":\"" + task + "\"") || raw.contains(
                "\"" + LogLine.DEBEZIUM_CONNECTOR_FIELD + "\":\"" + LogLine.DEBEZIUM_TASK_PREFIX + task + "\"");
    }

    public boolean matches(LogLine line) {
        if (!covers(line.timestamp())) {
            return false;
        }
        if (!services.isEmpty() && !services.contains(line.service())) {
            return false;
        }
        if (minLevel != null && (line.level() == null || levelOf(line.level()) < minLevel.ordinal())) {
            return false;
        }
        if (task != null && !task.equals(line.task())) {
            return false;
        }
        return text == null || contains(line.message()) || contains(line.stackTrace());
    }

    private boolean contains(String value) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(text);
    }

    private static int levelOf(String level) {
        try {
            return Level.valueOf(level.toUpperCase(Locale.ROOT)).ordinal();
        } catch (IllegalArgumentException unknown) {
            return -1;
        }
    }
}
