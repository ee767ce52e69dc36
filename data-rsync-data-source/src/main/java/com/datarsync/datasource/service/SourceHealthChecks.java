package com.datarsync.datasource.service;

import com.datarsync.common.monitor.MonitorEvents;
import com.datarsync.datasource.domain.DataSource;
import com.datarsync.datasource.domain.SourceHealth;
import com.datarsync.common.task.SourceKind;
import com.datarsync.datasource.infra.DataSourceRepository;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Checks every enabled source periodically with the connection test and keeps what it found in
 * Redis (one hash, {@value #HEALTH_KEY}, shared by every data-source instance; one instance
 * checks per round, under a short lock). A change of state is raised to the monitor
 * ({@link MonitorEvents}, type {@value #EVENT_TYPE}) and logged; the gauge
 * {@code datarsync_datasource_health} (1 up, 0.5 degraded, 0 down) carries it to Prometheus.
 */
@Service
public class SourceHealthChecks {

    public static final String HEALTH_KEY = "datarsync:datasource:health";
    public static final String EVENT_TYPE = "datasource.health";
    private static final String LOCK_KEY = "datarsync:datasource:health:lock";
    private static final Logger log = LoggerFactory.getLogger(SourceHealthChecks.class);
    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final DataSourceRepository sources;
    private final DataSourceService service;
    private final ConnectionTester tester;
    private final StringRedisTemplate redis;
    private final Duration interval;
    private final MultiGauge gauge;

    public SourceHealthChecks(DataSourceRepository sources, DataSourceService service, ConnectionTester tester,
            StringRedisTemplate redis, MeterRegistry meters,
            @Value("${datarsync.data-source.health-interval:60s}") Duration interval) {
        this.sources = sources;
        this.service = service;
        this.tester = tester;
        this.redis = redis;
        this.interval = interval;
        this.gauge = MultiGauge.builder("datarsync.datasource.health")
                .description("Health of each data source: 1 up, 0.5 degraded (a capture prerequisite fails), 0 down")
                .register(meters);
    }

    /** The last state of each source checked, by id. */
    public Map<Long, SourceHealth> all() {
        Map<Long, SourceHealth> out = new HashMap<>();
        redis.<String, String>opsForHash().entries(HEALTH_KEY).forEach((id, json) -> read(json)
                .ifPresent(h -> out.put(Long.parseLong(id), h)));
        return out;
    }

    public Optional<SourceHealth> of(long id) {
        return Optional.ofNullable(redis.<String, String>opsForHash().get(HEALTH_KEY, Long.toString(id)))
                .flatMap(SourceHealthChecks::read);
    }

    /** One round: each enabled source checked; a deleted or disabled one loses its entry. */
    @Scheduled(initialDelayString = "${datarsync.data-source.health-initial-delay:5s}",
            fixedDelayString = "${datarsync.data-source.health-interval:60s}")
    public void checkAll() {
        // One instance a round: the lock expires before the next round is due.
        if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(LOCK_KEY, "held", interval.multipliedBy(8).dividedBy(10)))) {
            return;
        }
        List<DataSource> enabled = new ArrayList<>();
        for (DataSource s : sources.findAll()) {
            if (s.isEnabled()) {
                enabled.add(s);
            }
        }
        Map<Long, SourceHealth> previous = all();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (DataSource s : enabled) {
            SourceHealth now = check(s, previous.get(s.getId()));
            rows.add(MultiGauge.Row.of(Tags.of("dataSource", Long.toString(s.getId()), "name", s.getName()),
                    switch (now.state()) {
                        case SourceHealth.UP -> 1.0;
                        case SourceHealth.DEGRADED -> 0.5;
                        default -> 0.0;
                    }));
        }
        gauge.register(rows, true);
        List<String> gone = previous.keySet().stream().filter(id -> enabled.stream().noneMatch(s -> s.getId().equals(id)))
                .map(String::valueOf).toList();
        if (!gone.isEmpty()) {
            redis.opsForHash().delete(HEALTH_KEY, gone.toArray());
        }
    }

    private SourceHealth check(DataSource s, SourceHealth before) {
        ConnectionTester.Result result;
        try {
            result = tester.test(new ConnectionTester.Target(SourceKind.byId(s.getKind()).orElseThrow(), s.getHost(),
                    s.getPort(), s.getDatabaseName(), s.getUsername(), service.password(s)));
        } catch (RuntimeException e) {
            // The reason is shown in answers and events: plain words; the exception goes to the log.
            log.warn("Health check of data source {} could not run: {}", s.getId(), e.toString());
            result = new ConnectionTester.Result(false, false, null, null, List.of(new com.datarsync.common.source.CdcPrerequisites.Check(
                    "check", false, "the check could not run (see the data-source log)", null)), 0);
        }
        Instant now = Instant.now();
        String state = stateOf(result);
        String reason = reasonOf(result);
        boolean changed = before == null || !before.state().equals(state);
        SourceHealth health = new SourceHealth(state, reason, now, changed ? now : before.since());
        try {
            redis.opsForHash().put(HEALTH_KEY, Long.toString(s.getId()), JSON.writeValueAsString(health));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // The first check of a healthy source is no news; anything else that changed is.
        if (changed && (before != null || !SourceHealth.UP.equals(state))) {
            String from = before == null ? "UNKNOWN" : before.state();
            log.warn("Data source {} ({}) is {} (was {}): {}", s.getId(), s.getName(), state, from, reason);
            MonitorEvents.raise(redis, EVENT_TYPE, "data-rsync-data-source", "datasource:" + s.getId(),
                    Map.of("dataSourceId", Long.toString(s.getId()), "name", s.getName(), "from", from, "to", state,
                            "reason", reason));
        }
        return health;
    }

    static String stateOf(ConnectionTester.Result r) {
        if (!r.reachable() || Boolean.FALSE.equals(r.loginAccepted())) {
            return SourceHealth.DOWN;
        }
        if (r.loginAccepted() == null) {
            return SourceHealth.UP;
        }
        return r.ok() ? SourceHealth.UP : SourceHealth.DEGRADED;
    }

    static String reasonOf(ConnectionTester.Result r) {
        if (r.loginAccepted() == null && r.reachable()) {
            return "reachable; this build has no client to log in and check capture prerequisites";
        }
        String failed = r.checks().stream().filter(c -> !c.passed()).map(c -> c.name() + ": " + c.found())
                .collect(Collectors.joining("; "));
        return failed.isEmpty() ? "every check passed" : failed;
    }

    private static Optional<SourceHealth> read(String json) {
        try {
            return Optional.of(JSON.readValue(json, SourceHealth.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
