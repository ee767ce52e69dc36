package com.datarsync.monitor.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.web.DataPermissions;
import com.datarsync.monitor.domain.LogQuery;
import com.datarsync.monitor.service.LogSearch;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/monitor/logs}: the services' log lines of a time window, newest first, by
 * service, lowest level, task and text (docs/monitoring.md, Logs). Needs {@code monitor:read}
 * and a role that sees every data source: a line can speak of any source (a host, a table, a
 * row key), whichever task wrote it, or none.
 */
@RestController
@RequestMapping("/api/monitor/logs")
public class LogController {

    private final LogSearch search;
    private final Clock clock;

    public LogController(LogSearch search, Clock clock) {
        this.search = search;
        this.clock = clock;
    }

    /**
     * @param from  ISO-8601 instant, inclusive (default: an hour before {@code to})
     * @param to    ISO-8601 instant, exclusive (default: now)
     * @param service a service, e.g. {@code log-listener} (repeat, or separate by commas, for several; default all)
     * @param level the lowest level answered: TRACE, DEBUG, INFO, WARN or ERROR (default all)
     */
    @GetMapping
    public LogSearch.Result logs(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) List<String> service, @RequestParam(required = false) String level,
            @RequestParam(required = false) String task, @RequestParam(required = false) String text,
            @RequestParam(defaultValue = "200") int limit) {
        DataPermissions.current().requireAll("Searching the logs");
        Instant end = to == null ? clock.instant() : instant("to", to);
        Instant start;
        try {
            start = from == null ? end.minus(LogQuery.DEFAULT_WINDOW) : instant("from", from);
        } catch (java.time.DateTimeException beforeTime) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "to: too early to look an hour back from",
                    Map.of("field", "to"), null);
        }
        Set<String> services = new HashSet<>();
        if (service != null) {
            service.forEach(s -> List.of(s.split(",")).stream().map(String::trim).filter(x -> !x.isEmpty())
                    .forEach(services::add));
        }
        return search.search(new LogQuery(start, end, services, level(level), task, text, limit));
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED,
                    field + ": an ISO-8601 instant such as 2026-12-01T08:00:00Z", Map.of("field", field), null);
        }
    }

    private static LogQuery.Level level(String level) {
        if (level == null || level.isBlank()) {
            return null;
        }
        try {
            return LogQuery.Level.valueOf(level.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "level: one of TRACE, DEBUG, INFO, WARN, ERROR",
                    Map.of("field", "level"), null);
        }
    }
}
