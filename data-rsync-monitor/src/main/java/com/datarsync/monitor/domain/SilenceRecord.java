package com.datarsync.monitor.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored silence ({@link AlertSilence}) with who set it. */
@Entity
@Table(name = "alert_silence")
public class SilenceRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "rule_id")
    private Long ruleId;
    @Column(length = 200)
    private String subject;
    @Column(name = "ends_at", nullable = false)
    private Instant endsAt;
    @Column(nullable = false, length = 500)
    private String reason;
    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    protected SilenceRecord() {
    }

    public SilenceRecord(Long ruleId, String subject, Instant endsAt, String reason, String createdBy) {
        this.ruleId = ruleId;
        this.subject = subject;
        this.endsAt = endsAt;
        this.reason = reason;
        this.createdBy = createdBy;
    }

    public Long getId() {
        return id;
    }

    public Long getRuleId() {
        return ruleId;
    }

    public String getSubject() {
        return subject;
    }

    public Instant getEndsAt() {
        return endsAt;
    }

    public String getReason() {
        return reason;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public AlertSilence silence() {
        return new AlertSilence(ruleId, subject, endsAt, reason);
    }
}
