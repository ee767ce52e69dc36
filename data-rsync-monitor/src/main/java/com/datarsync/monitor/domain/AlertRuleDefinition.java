package com.datarsync.monitor.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A rule as stored: what it watches ({@link AlertRuleKind}, limited to one task or not), the
 * threshold, how long the condition must hold ({@code for}), how often a firing alert is sent
 * again, its severity, the channels (by name) it is sent to and the roles whose users those
 * channels also reach.
 */
@Entity
@Table(name = "alert_rule")
public class AlertRuleDefinition {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false, unique = true, length = 128)
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 40)
    private AlertRuleKind kind;
    @Column(name = "task_id", length = 200)
    private String taskId;
    @Column(nullable = false)
    private double threshold;
    @Column(name = "for_seconds", nullable = false)
    private int forSeconds;
    @Column(name = "repeat_seconds", nullable = false)
    private int repeatSeconds;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private AlertSeverity severity;
    @Column(nullable = false, length = 1000)
    private String channels;
    /** Role codes whose users the rule's e-mail and SMS channels also reach. */
    @Column(nullable = false, length = 1000)
    private String roles = "";
    @Column(nullable = false)
    private boolean enabled;

    protected AlertRuleDefinition() {
    }

    public AlertRuleDefinition(String name) {
        this.name = name;
    }

    public void define(AlertRuleKind kind, String taskId, double threshold, Duration forDuration, Duration repeat,
            AlertSeverity severity, List<String> channels, List<String> roles, boolean enabled) {
        this.kind = kind;
        this.taskId = taskId;
        this.threshold = threshold;
        this.forSeconds = (int) forDuration.toSeconds();
        this.repeatSeconds = (int) repeat.toSeconds();
        this.severity = severity;
        this.channels = String.join(",", channels);
        this.roles = String.join(",", roles);
        this.enabled = enabled;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public AlertRuleKind getKind() {
        return kind;
    }

    public String getTaskId() {
        return taskId;
    }

    public double getThreshold() {
        return threshold;
    }

    public Duration forDuration() {
        return Duration.ofSeconds(forSeconds);
    }

    public Duration repeat() {
        return Duration.ofSeconds(repeatSeconds);
    }

    public AlertSeverity getSeverity() {
        return severity;
    }

    public List<String> channelNames() {
        return channels.isEmpty() ? List.of() : Arrays.asList(channels.split(","));
    }

    public List<String> roleCodes() {
        return roles == null || roles.isEmpty() ? List.of() : Arrays.asList(roles.split(","));
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** The PromQL whose series are the subjects breaching now. */
    public String expression() {
        return kind.expression(taskId, threshold);
    }
}
