package com.datarsync.common.monitor;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Events the services raise to the monitor (a data source's health changed, ...): one Redis
 * stream, {@value #STREAM}, capped at about {@value #MAX_LENGTH} entries. Each entry is flat
 * text fields: {@code type}, {@code service}, {@code subject}, {@code at} and the type's own
 * fields. The monitor serves them (its {@code /api/monitor/events}); alert rules watch the
 * metrics (docs/monitoring.md). Writers never block on the monitor being up.
 */
public final class MonitorEvents {

    public static final String STREAM = "datarsync:monitor:events";
    public static final long MAX_LENGTH = 10_000;

    private MonitorEvents() {
    }

    /** Appends one event; answers its stream id. */
    public static String raise(StringRedisTemplate redis, String type, String service, String subject,
            Map<String, String> fields) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("type", type);
        entry.put("service", service);
        entry.put("subject", subject);
        entry.put("at", Instant.now().toString());
        fields.forEach((k, v) -> entry.put(k, v == null ? "" : v));
        MapRecord<String, String, String> record = StreamRecords.newRecord().in(STREAM).ofMap(entry);
        String id = String.valueOf(redis.opsForStream().add(record));
        redis.opsForStream().trim(STREAM, MAX_LENGTH, true);
        return id;
    }

    /** The newest events first, at most {@code limit}. */
    public static java.util.List<MapRecord<String, Object, Object>> newest(StringRedisTemplate redis, int limit) {
        return redis.opsForStream().reverseRange(STREAM, Range.unbounded(), Limit.limit().count(limit));
    }
}
