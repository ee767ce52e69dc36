package com.datarsync.monitor.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.monitor.MonitorEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/monitor/events}: what the services raised to the monitor, newest first (a data
 * source's health changed, ...). Alert rules watch metrics instead (AlertController).
 */
@RestController
@RequestMapping("/api/monitor/events")
public class MonitorEventController {

    private static final int MAX_LIMIT = 1_000;

    private final StringRedisTemplate redis;

    public MonitorEventController(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Events, newest first; {@code type} keeps one kind, {@code subject} one object (datasource:7). */
    @GetMapping
    public List<Map<String, Object>> events(@RequestParam(required = false) String type,
            @RequestParam(required = false) String subject, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "limit: 1 to " + MAX_LIMIT,
                    Map.of("field", "limit"), null);
        }
        // Filters apply to the newest MAX_LIMIT entries: the stream is a recent history, not an archive.
        return MonitorEvents.newest(redis, type == null && subject == null ? limit : MAX_LIMIT).stream()
                .filter(r -> type == null || type.equals(r.getValue().get("type")))
                .filter(r -> subject == null || subject.equals(r.getValue().get("subject")))
                .limit(limit)
                .map(r -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("id", r.getId().getValue());
                    r.getValue().forEach((k, v) -> event.put(String.valueOf(k), v));
                    return event;
                }).toList();
    }
}
