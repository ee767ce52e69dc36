package com.datarsync.monitor.service;

import com.datarsync.monitor.domain.AlertEvaluation;
import com.datarsync.monitor.domain.AlertMessage;
import com.datarsync.monitor.domain.AlertRuleDefinition;
import com.datarsync.monitor.domain.AlertRuleKind;
import com.datarsync.monitor.domain.AlertSilence;
import com.datarsync.monitor.domain.AlertState;
import com.datarsync.monitor.domain.NotificationRecord;
import com.datarsync.monitor.domain.SilenceRecord;
import com.datarsync.monitor.infra.AlertChannelRepository;
import com.datarsync.monitor.infra.AlertRuleRepository;
import com.datarsync.monitor.infra.NotificationRepository;
import com.datarsync.monitor.infra.PrometheusQueries;
import com.datarsync.monitor.infra.RoleContacts;
import com.datarsync.monitor.infra.channel.ChannelConfig;
import com.datarsync.monitor.infra.SilenceRepository;
import com.datarsync.monitor.infra.channel.ChannelDispatcher;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Evaluates every enabled rule on a fixed delay ({@code datarsync.monitor.evaluation-interval}):
 * asks Prometheus which subjects breach, moves each rule's alert states ({@link AlertEvaluation},
 * kept in Redis so a restart neither repeats nor forgets an alert) and sends what is due through
 * the rule's channels, recording every attempt. One monitor instance evaluates at a time (a
 * Redis lease); the others stand by.
 */
@Service
public class AlertEvaluator {

    private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);
    static final String STATE_PREFIX = "datarsync:alerts:state:";
    /** The state keys in use, so the ones of deleted rules are found without scanning Redis (KEYS). */
    static final String STATE_INDEX = "datarsync:alerts:states";
    private static final String LEASE = "datarsync:alerts:evaluator";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private final AlertRuleRepository rules;
    private final AlertChannelRepository channelRows;
    private final AlertChannels channels;
    private final SilenceRepository silences;
    private final NotificationRepository history;
    private final PrometheusQueries prometheus;
    private final ChannelDispatcher dispatcher;
    private final RoleContacts roleContacts;
    private final StringRedisTemplate redis;
    private final Clock clock;
    private final Duration lease;
    private final String instance = UUID.randomUUID().toString();

    public AlertEvaluator(AlertRuleRepository rules, AlertChannelRepository channelRows, AlertChannels channels,
            SilenceRepository silences, NotificationRepository history, PrometheusQueries prometheus,
            ChannelDispatcher dispatcher, RoleContacts roleContacts, StringRedisTemplate redis, Clock clock,
            @Value("${datarsync.monitor.evaluation-interval}") Duration interval) {
        this.rules = rules;
        this.channelRows = channelRows;
        this.channels = channels;
        this.silences = silences;
        this.history = history;
        this.prometheus = prometheus;
        this.dispatcher = dispatcher;
        this.roleContacts = roleContacts;
        this.redis = redis;
        this.clock = clock;
        this.lease = interval.multipliedBy(3);
    }

    @Scheduled(fixedDelayString = "${datarsync.monitor.evaluation-interval}",
            initialDelayString = "${datarsync.monitor.evaluation-interval}")
    public void evaluateAll() {
        try {
            if (!leading()) {
                return;
            }
            Instant now = clock.instant();
            List<AlertSilence> active = silences.findByEndsAtAfterOrderByEndsAt(now).stream()
                    .map(SilenceRecord::silence).toList();
            List<AlertRuleDefinition> enabled = rules.findByEnabledTrue();
            for (AlertRuleDefinition rule : enabled) {
                try {
                    evaluate(rule, active, now);
                } catch (RuntimeException e) {
                    log.warn("Alert rule {} not evaluated: {}", rule.getName(), e.getMessage());
                }
            }
            forgetStatesOfRulesGone(enabled.stream().map(r -> STATE_PREFIX + r.getId()).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            log.warn("Alert evaluation round failed: {}", e.toString());
        }
    }

    void evaluate(AlertRuleDefinition rule, List<AlertSilence> active, Instant now) {
        Map<String, AlertEvaluation.Breach> breaches = new LinkedHashMap<>();
        for (PrometheusQueries.Sample sample : prometheus.query(rule.expression())) {
            String subject = sample.labels().getOrDefault(rule.getKind().subjectLabel(), "?");
            String detail = detail(sample.labels());
            AlertEvaluation.Breach before = breaches.get(subject);
            String value = value(rule.getKind(), sample.value());
            // Several series of one subject (a task's stages or codes): one alert naming them all.
            breaches.put(subject, before == null ? new AlertEvaluation.Breach(subject, value, detail)
                    : new AlertEvaluation.Breach(subject, before.value() + "; " + value, before.detail() + "; " + detail));
        }
        String key = STATE_PREFIX + rule.getId();
        Map<String, AlertState> states = load(key);
        AlertEvaluation.Outcome outcome = AlertEvaluation.evaluate(rule.getId(), rule.getName(), rule.getSeverity(),
                rule.forDuration(), rule.repeat(), states, breaches.values(), active, now);
        save(key, outcome.states());
        for (AlertMessage message : outcome.messages()) {
            send(rule, message);
        }
    }

    private void send(AlertRuleDefinition rule, AlertMessage message) {
        RoleReceivers receivers = roleReceivers(rule);
        for (String name : rule.channelNames()) {
            var channel = channelRows.findByName(name).orElse(null);
            if (channel == null || !channel.isEnabled()) {
                log.warn("Alert rule {}: channel {} is gone or disabled; message not sent there", rule.getName(), name);
                continue;
            }
            try {
                ChannelConfig config = channels.config(channel).withPeople(receivers.emails(), receivers.phones());
                for (ChannelDispatcher.Attempt a : dispatcher.deliver(config, message)) {
                    history.save(new NotificationRecord(rule.getId(), message, name, a.number(), a.delivered(),
                            a.answer(), a.at()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The e-mail addresses and phone numbers of the users of a rule's roles. */
    record RoleReceivers(List<String> emails, List<String> phones) {
    }

    /**
     * Asked at each message. When auth cannot answer, the message still goes to the channels'
     * own recipients: a missed role is logged, an alert is not held back for it.
     */
    private RoleReceivers roleReceivers(AlertRuleDefinition rule) {
        java.util.Set<String> emails = new java.util.LinkedHashSet<>();
        java.util.Set<String> phones = new java.util.LinkedHashSet<>();
        for (String role : rule.roleCodes()) {
            try {
                for (RoleContacts.Contact contact : roleContacts.of(role)) {
                    if (contact.email() != null) {
                        emails.add(contact.email());
                    }
                    if (contact.phone() != null) {
                        phones.add(contact.phone());
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Alert rule {}: the users of role {} are not reached this time: {}", rule.getName(), role,
                        e.getMessage());
            }
        }
        return new RoleReceivers(List.copyOf(emails), List.copyOf(phones));
    }

    /** The value a rule compared, as people read it. */
    static String value(AlertRuleKind kind, double value) {
        return switch (kind) {
            case TASK_FAILED -> "FAILED";
            case TASK_RETRYING -> "RETRYING";
            case LAG_ABOVE -> String.format(Locale.ROOT, "%.0f ms", value);
            case DEAD_LETTERS_GROWING -> String.format(Locale.ROOT, "%.0f dead letters / 10 min", value);
            case NO_PROGRESS -> String.format(Locale.ROOT, "%.0f records waiting", value);
            case SOURCE_UNHEALTHY -> value == 0 ? "DOWN" : "DEGRADED";
            case MILVUS_WRITE_FAILURE_RATE, HOST_CPU, HOST_MEMORY, HOST_DISK, JVM_HEAP ->
                    String.format(Locale.ROOT, "%.1f %%", value * 100);
        };
    }

    /** The labels that say more than the subject: a stage, an error code, a path. */
    private static String detail(Map<String, String> labels) {
        Map<String, String> more = new HashMap<>(labels);
        more.keySet().retainAll(Set.of("stage", "code", "path", "dataSource"));
        return more.isEmpty() ? null : new java.util.TreeMap<>(more).toString();
    }

    private Map<String, AlertState> load(String key) {
        Map<String, AlertState> out = new LinkedHashMap<>();
        redis.<String, String>opsForHash().entries(key).forEach((subject, json) -> {
            try {
                out.put(subject, JSON.readValue(json, AlertState.class));
            } catch (Exception unreadable) {
                log.warn("Alert state {} of {} is unreadable; starting it again", subject, key);
            }
        });
        return out;
    }

    private void save(String key, Map<String, AlertState> states) {
        redis.delete(key);
        if (!states.isEmpty()) {
            Map<String, String> json = new LinkedHashMap<>();
            states.forEach((subject, state) -> {
                try {
                    json.put(subject, JSON.writeValueAsString(state));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            redis.opsForHash().putAll(key, json);
            redis.opsForSet().add(STATE_INDEX, key);
        }
    }

    private void forgetStatesOfRulesGone(Set<String> kept) {
        Set<String> keys = redis.opsForSet().members(STATE_INDEX);
        if (keys != null) {
            for (String key : keys) {
                if (!kept.contains(key)) {
                    redis.delete(key);
                    redis.opsForSet().remove(STATE_INDEX, key);
                }
            }
        }
    }

    /** Takes or renews the evaluator's lease; false while another instance holds it. */
    private boolean leading() {
        Boolean taken = redis.opsForValue().setIfAbsent(LEASE, instance, lease);
        if (Boolean.TRUE.equals(taken)) {
            return true;
        }
        if (instance.equals(redis.opsForValue().get(LEASE))) {
            redis.expire(LEASE, lease);
            return true;
        }
        return false;
    }
}
