package com.datarsync.common.task;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A table's time window ({@link TimeWindow}) ready to test values: bounds
 * parsed once, {@code from} inclusive, {@code until} exclusive. Values come as the pipeline
 * carries them: DATE as {@code 2026-01-01}, DATETIME / {@code timestamp} as a zoneless date-time,
 * TIMESTAMP / {@code timestamptz} as an instant ending in {@code Z}.
 */
public final class TimeWindowRule {

    /** A point in time: a wall-clock date-time (no zone), or an instant. */
    private record Point(LocalDateTime local, Instant instant) {

        Instant asInstant() {
            return instant != null ? instant : local.toInstant(ZoneOffset.UTC);
        }

        int compareTo(Point other) {
            if (local != null && other.local != null) {
                return local.compareTo(other.local);
            }
            return asInstant().compareTo(other.asInstant());
        }
    }

    private final String column;
    private final Point from;
    private final Point until;

    private TimeWindowRule(String column, Point from, Point until) {
        this.column = column;
        this.from = from;
        this.until = until;
    }

    /** @throws IllegalArgumentException naming what is wrong with the window */
    public static TimeWindowRule of(TimeWindow window) {
        boolean noFrom = window.from() == null || window.from().isBlank();
        boolean noUntil = window.until() == null || window.until().isBlank();
        if (noFrom && noUntil) {
            throw new IllegalArgumentException("needs 'from', 'until' or both");
        }
        if (window.column() != null && window.column().isBlank()) {
            throw new IllegalArgumentException("'column' is blank; leave it out to use the commit time");
        }
        Point from = noFrom ? null : bound("from", window.from());
        Point until = noUntil ? null : bound("until", window.until());
        if (from != null && until != null && from.compareTo(until) >= 0) {
            throw new IllegalArgumentException("'from' (" + window.from() + ") must be before 'until' ("
                    + window.until() + ")");
        }
        return new TimeWindowRule(window.column(), from, until);
    }

    private static Point bound(String name, String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not an ISO-8601 date or date-time: '" + text + "'");
        }
    }

    private static Point parse(String text) {
        String t = text.trim();
        try {
            return new Point(null, OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException notWithZone) {
            // tried below without one
        }
        try {
            return new Point(LocalDateTime.parse(t), null);
        } catch (DateTimeParseException notDateTime) {
            // tried below as a date
        }
        try {
            return new Point(LocalDate.parse(t).atStartOfDay(), null);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 date or date-time: '" + text + "'");
        }
    }

    /** The column the window reads, or null for the change's commit time. */
    public String column() {
        return column;
    }

    /**
     * Whether a column value falls in the window; NULL does not.
     *
     * @throws IllegalArgumentException when the value is not a date or date-time
     */
    public boolean contains(Object value) {
        if (value == null) {
            return false;
        }
        return inside(parse(String.valueOf(value)));
    }

    /** Whether a commit time (epoch milliseconds) falls in the window. */
    public boolean containsCommitTime(long epochMs) {
        return inside(new Point(null, Instant.ofEpochMilli(epochMs)));
    }

    private boolean inside(Point p) {
        return (from == null || p.compareTo(from) >= 0) && (until == null || p.compareTo(until) < 0);
    }
}
