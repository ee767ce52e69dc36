package com.datarsync.monitor.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One attempt to send one alert message through one channel, with the channel's answer. */
@Entity
@Table(name = "alert_notification")
public class NotificationRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "rule_id", nullable = false)
    private long ruleId;
    @Column(name = "rule_name", nullable = false, length = 128)
    private String ruleName;
    @Column(nullable = false, length = 16)
    private String severity;
    @Column(nullable = false)
    private boolean resolved;
    @Column(nullable = false, columnDefinition = "TEXT")
    private String subjects;
    @Column(nullable = false, length = 64)
    private String channel;
    @Column(nullable = false)
    private int attempt;
    @Column(nullable = false)
    private boolean delivered;
    @Column(nullable = false, length = 1100)
    private String answer;
    @Column(name = "sent_at", nullable = false)
    private Instant sentAt;

    protected NotificationRecord() {
    }

    public NotificationRecord(long ruleId, AlertMessage message, String channel, int attempt, boolean delivered,
            String answer, Instant sentAt) {
        this.ruleId = ruleId;
        this.ruleName = message.rule();
        this.severity = message.severity().name();
        this.resolved = message.resolved();
        this.subjects = String.join(",", message.alerts().stream().map(AlertMessage.Alert::subject).toList());
        this.channel = channel;
        this.attempt = attempt;
        this.delivered = delivered;
        this.answer = answer;
        this.sentAt = sentAt;
    }

    public Long getId() {
        return id;
    }

    public long getRuleId() {
        return ruleId;
    }

    public String getRuleName() {
        return ruleName;
    }

    public String getSeverity() {
        return severity;
    }

    public boolean isResolved() {
        return resolved;
    }

    public String getSubjects() {
        return subjects;
    }

    public String getChannel() {
        return channel;
    }

    public int getAttempt() {
        return attempt;
    }

    public boolean isDelivered() {
        return delivered;
    }

    public String getAnswer() {
        return answer;
    }

    public Instant getSentAt() {
        return sentAt;
    }
}
