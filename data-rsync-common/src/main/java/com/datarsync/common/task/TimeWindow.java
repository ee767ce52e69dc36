package com.datarsync.common.task;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Keeps what falls in {@code [from, until)}; either end may be left open. On a column, a row
 * whose value is outside (or NULL) is removed from the target, like {@code where}; without a
 * column, on the change's source commit time: a change committed outside is not carried, and
 * snapshot reads (which have no commit time) all pass. Bounds are ISO-8601: a date
 * ({@code 2026-01-01}), a date-time without zone ({@code 2026-01-01T08:00:00}), compared with
 * the column's value as written in the source, or with a zone ({@code 2026-01-01T00:00:00Z},
 * {@code +08:00}), compared as instants; a value and a bound of which one has no zone are
 * compared reading the zoneless one as UTC (format and rules: docs/data-path.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeWindow(String column, String from, String until) {
}
