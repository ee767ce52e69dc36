package com.datarsync.monitor.web;

import com.datarsync.common.web.DataPermissions;
import com.datarsync.monitor.domain.AlertChannelDefinition;
import com.datarsync.monitor.domain.AlertMessage;
import com.datarsync.monitor.domain.AlertRuleDefinition;
import com.datarsync.monitor.domain.AlertSeverity;
import com.datarsync.monitor.domain.NotificationRecord;
import com.datarsync.monitor.domain.SilenceRecord;
import com.datarsync.monitor.infra.channel.ChannelDispatcher;
import com.datarsync.monitor.service.AlertChannels;
import com.datarsync.monitor.service.AlertRules;
import com.datarsync.monitor.service.AlertSilences;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/monitor/alerts/...}: channels, rules, silences and the history of what was sent
 * (docs/monitoring.md). Reading needs {@code monitor:read}, changing {@code alert:write} (the
 * gateway and this service check both); changing also needs the data of every source, since
 * alerts speak of every task. No answer carries a channel's secret.
 */
@RestController
@RequestMapping("/api/monitor/alerts")
public class AlertController {

    private final AlertChannels channels;
    private final AlertRules rules;
    private final AlertSilences silences;
    private final ChannelDispatcher dispatcher;
    private final Clock clock;

    public AlertController(AlertChannels channels, AlertRules rules, AlertSilences silences,
            ChannelDispatcher dispatcher, Clock clock) {
        this.channels = channels;
        this.rules = rules;
        this.silences = silences;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /** A channel as answered: its settings and whether a secret is stored, never the secret. */
    public record ChannelView(long id, String name, String kind, Map<String, String> settings, boolean hasSecret,
            String language, boolean enabled) {
    }

    public record RuleView(long id, String name, String kind, String taskId, double threshold, long forSeconds,
            long repeatSeconds, String severity, List<String> channels, List<String> roles, boolean enabled,
            String expression) {
    }

    public record SilenceView(long id, Long ruleId, String subject, Instant endsAt, String reason, String createdBy) {
    }

    public record NotificationView(long id, long ruleId, String rule, String severity, boolean resolved,
            String subjects, String channel, int attempt, boolean delivered, String answer, Instant sentAt) {
    }

    @GetMapping("/channels")
    public List<ChannelView> channels() {
        return channels.list().stream().map(this::view).toList();
    }

    @GetMapping("/channels/{id}")
    public ChannelView channel(@PathVariable long id) {
        return view(channels.get(id));
    }

    @PostMapping("/channels")
    @ResponseStatus(HttpStatus.CREATED)
    public ChannelView createChannel(@RequestBody AlertChannels.Fields fields) {
        DataPermissions.current().requireAll("Defining an alert channel");
        return view(channels.create(fields));
    }

    @PutMapping("/channels/{id}")
    public ChannelView updateChannel(@PathVariable long id, @RequestBody AlertChannels.Fields fields) {
        DataPermissions.current().requireAll("Changing an alert channel");
        return view(channels.update(id, fields));
    }

    @DeleteMapping("/channels/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteChannel(@PathVariable long id) {
        DataPermissions.current().requireAll("Deleting an alert channel");
        channels.delete(id);
    }

    /** Sends a test message through the channel now; answers every attempt with the channel's answer. */
    @PostMapping("/channels/{id}/test")
    public List<ChannelDispatcher.Attempt> test(@PathVariable long id) throws InterruptedException {
        DataPermissions.current().requireAll("Testing an alert channel");
        AlertChannelDefinition channel = channels.get(id);
        return dispatcher.deliver(channels.config(channel), new AlertMessage("test / 测试", AlertSeverity.INFO, false,
                List.of(new AlertMessage.Alert(channel.getName(), "test", "sent by " + username())), clock.instant()));
    }

    @GetMapping("/rules")
    public List<RuleView> rules() {
        return rules.list().stream().map(AlertController::view).toList();
    }

    @GetMapping("/rules/{id}")
    public RuleView rule(@PathVariable long id) {
        return view(rules.get(id));
    }

    @PostMapping("/rules")
    @ResponseStatus(HttpStatus.CREATED)
    public RuleView createRule(@RequestBody AlertRules.Fields fields) {
        DataPermissions.current().requireAll("Defining an alert rule");
        return view(rules.create(fields));
    }

    @PutMapping("/rules/{id}")
    public RuleView updateRule(@PathVariable long id, @RequestBody AlertRules.Fields fields) {
        DataPermissions.current().requireAll("Changing an alert rule");
        return view(rules.update(id, fields));
    }

    @DeleteMapping("/rules/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteRule(@PathVariable long id) {
        DataPermissions.current().requireAll("Deleting an alert rule");
        rules.delete(id);
    }

    @GetMapping("/silences")
    public List<SilenceView> silences() {
        return silences.active().stream().map(AlertController::view).toList();
    }

    @PostMapping("/silences")
    @ResponseStatus(HttpStatus.CREATED)
    public SilenceView createSilence(@RequestBody AlertSilences.Fields fields) {
        DataPermissions.current().requireAll("Silencing alerts");
        return view(silences.create(fields, username()));
    }

    @DeleteMapping("/silences/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteSilence(@PathVariable long id) {
        DataPermissions.current().requireAll("Ending a silence");
        silences.delete(id);
    }

    /** What was sent, newest first: every attempt through every channel with its answer. */
    @GetMapping("/history")
    public List<NotificationView> history(@RequestParam(required = false) Long ruleId,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int size) {
        return silences.history(ruleId, from, to, page, size).stream().map(AlertController::view).toList();
    }

    private ChannelView view(AlertChannelDefinition c) {
        return new ChannelView(c.getId(), c.getName(), c.getKind(), channels.settings(c), c.getSecretCipher() != null,
                c.getLanguage(), c.isEnabled());
    }

    private static RuleView view(AlertRuleDefinition r) {
        return new RuleView(r.getId(), r.getName(), r.getKind().name(), r.getTaskId(), r.getThreshold(),
                r.forDuration().toSeconds(), r.repeat().toSeconds(), r.getSeverity().name(), r.channelNames(),
                r.roleCodes(), r.isEnabled(), r.expression());
    }

    private static SilenceView view(SilenceRecord s) {
        return new SilenceView(s.getId(), s.getRuleId(), s.getSubject(), s.getEndsAt(), s.getReason(), s.getCreatedBy());
    }

    private static NotificationView view(NotificationRecord n) {
        return new NotificationView(n.getId(), n.getRuleId(), n.getRuleName(), n.getSeverity(), n.isResolved(),
                n.getSubjects(), n.getChannel(), n.getAttempt(), n.isDelivered(), n.getAnswer(), n.getSentAt());
    }

    private static String username() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt) {
            String name = jwt.getToken().getClaimAsString("preferred_username");
            return name == null ? jwt.getToken().getSubject() : name;
        }
        return "system";
    }
}
