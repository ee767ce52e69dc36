package com.datarsync.monitor.service;

import static com.datarsync.monitor.service.AlertChannels.invalid;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.monitor.domain.AlertRuleDefinition;
import com.datarsync.monitor.domain.AlertRuleKind;
import com.datarsync.monitor.domain.AlertSeverity;
import com.datarsync.monitor.infra.AlertChannelRepository;
import com.datarsync.monitor.infra.AlertRuleRepository;
import com.datarsync.monitor.infra.RoleContacts;
import com.datarsync.monitor.infra.channel.ChannelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The alert rules: checked before they are stored (kind, threshold, durations, channels that
 * exist, roles auth knows, reached through an e-mail or SMS channel of the rule).
 */
@Service
public class AlertRules {

    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    /** As auth names roles (RoleCatalog). */
    private static final Pattern ROLE_CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
    static final Duration MIN_REPEAT = Duration.ofMinutes(1);

    /**
     * What a client sends; missing numbers take the kind's defaults (threshold), 0 s (for) and
     * 1 hour (repeat).
     */
    public record Fields(String name, String kind, String taskId, Double threshold, Long forSeconds,
            Long repeatSeconds, String severity, List<String> channels, List<String> roles, Boolean enabled) {
    }

    private final AlertRuleRepository rules;
    private final AlertChannelRepository channels;
    private final RoleContacts roleContacts;

    public AlertRules(AlertRuleRepository rules, AlertChannelRepository channels, RoleContacts roleContacts) {
        this.rules = rules;
        this.channels = channels;
        this.roleContacts = roleContacts;
    }

    public List<AlertRuleDefinition> list() {
        return rules.findAll();
    }

    public AlertRuleDefinition get(long id) {
        return rules.findById(id).orElseThrow(() -> new DataRsyncException(ErrorCode.NOT_FOUND, "No alert rule " + id,
                Map.of("id", id), null));
    }

    @Transactional
    public AlertRuleDefinition create(Fields fields) {
        if (fields.name() == null || fields.name().isBlank() || fields.name().length() > 128) {
            throw invalid("name", "a rule's name is 1 to 128 characters");
        }
        if (rules.findByName(fields.name()).isPresent()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "An alert rule named '" + fields.name() + "' exists",
                    Map.of("field", "name"), null);
        }
        return save(new AlertRuleDefinition(fields.name()), fields);
    }

    @Transactional
    public AlertRuleDefinition update(long id, Fields fields) {
        AlertRuleDefinition rule = get(id);
        if (fields.name() != null && !fields.name().equals(rule.getName())) {
            throw invalid("name", "a rule keeps its name");
        }
        return save(rule, fields);
    }

    @Transactional
    public void delete(long id) {
        rules.delete(get(id));
    }

    private AlertRuleDefinition save(AlertRuleDefinition rule, Fields f) {
        AlertRuleKind kind;
        try {
            kind = AlertRuleKind.valueOf(String.valueOf(f.kind()));
        } catch (IllegalArgumentException e) {
            throw invalid("kind", "kind is one of " + List.of(AlertRuleKind.values()));
        }
        if (f.taskId() != null && (!kind.perTask() || !TASK_ID.matcher(f.taskId()).matches())) {
            throw invalid("taskId", kind.perTask() ? "taskId is a task's id" : "a " + kind + " rule is not per task");
        }
        double threshold = f.threshold() == null ? kind.defaultThreshold() : f.threshold();
        if (!Double.isFinite(threshold) || threshold < 0 || threshold > 1e12) {
            throw invalid("threshold", "threshold is a number from 0 to 1e12");
        }
        long forSeconds = f.forSeconds() == null ? 0 : f.forSeconds();
        long repeatSeconds = f.repeatSeconds() == null ? 3600 : f.repeatSeconds();
        if (forSeconds < 0 || forSeconds > 86_400) {
            throw invalid("forSeconds", "forSeconds is 0 to 86,400");
        }
        if (repeatSeconds < MIN_REPEAT.toSeconds() || repeatSeconds > 7 * 86_400) {
            throw invalid("repeatSeconds", "repeatSeconds is 60 to 604,800");
        }
        AlertSeverity severity;
        try {
            severity = AlertSeverity.valueOf(String.valueOf(f.severity()));
        } catch (IllegalArgumentException e) {
            throw invalid("severity", "severity is CRITICAL, WARNING or INFO");
        }
        List<String> named = f.channels() == null ? List.of() : f.channels();
        if (named.isEmpty() || named.size() > 20) {
            throw invalid("channels", "a rule names 1 to 20 channels");
        }
        boolean reachesPeople = false;
        for (String channel : named) {
            var found = channel == null ? java.util.Optional.<com.datarsync.monitor.domain.AlertChannelDefinition>empty()
                    : channels.findByName(channel);
            if (found.isEmpty()) {
                throw invalid("channels", "no alert channel named '" + channel + "'");
            }
            reachesPeople |= ChannelConfig.recipientSetting(found.get().getKind()).isPresent();
        }
        List<String> roles = f.roles() == null ? List.of() : f.roles();
        if (roles.size() > 20 || roles.stream().anyMatch(r -> r == null || !ROLE_CODE.matcher(r).matches())) {
            throw invalid("roles", "a rule names up to 20 role codes");
        }
        if (!roles.isEmpty() && !reachesPeople) {
            throw invalid("roles", "a role's users are reached by e-mail or SMS: name an email or aliyun-sms channel");
        }
        for (String role : roles) {
            try {
                roleContacts.of(role);
            } catch (DataRsyncException e) {
                if (e.errorCode() == ErrorCode.NOT_FOUND) {
                    throw invalid("roles", "no role '" + role + "'");
                }
                throw e;
            }
        }
        rule.define(kind, f.taskId(), threshold, Duration.ofSeconds(forSeconds), Duration.ofSeconds(repeatSeconds),
                severity, List.copyOf(new java.util.LinkedHashSet<>(named)), List.copyOf(new java.util.LinkedHashSet<>(roles)),
                f.enabled() == null || f.enabled());
        return rules.save(rule);
    }
}
