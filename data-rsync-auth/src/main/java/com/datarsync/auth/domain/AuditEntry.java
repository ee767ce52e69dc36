package com.datarsync.auth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/** One audit log line; its hash seals its fields and the previous line's hash. */
@Entity
@Table(name = "audit_log")
public class AuditEntry {

    /** The predecessor of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false, length = 64)
    private String actor;

    @Column(nullable = false, length = 64)
    private String action;

    @Column(nullable = false)
    private String resource;

    @Column(nullable = false, length = 16)
    private String outcome;

    @Column(columnDefinition = "TEXT")
    private String detail;

    @Column(name = "prev_hash", nullable = false, length = 64)
    private String prevHash;

    @Column(name = "entry_hash", nullable = false, length = 64)
    private String entryHash;

    protected AuditEntry() {
    }

    public AuditEntry(Instant occurredAt, String actor, String action, String resource, String outcome,
                      String detail, String prevHash) {
        // The column keeps milliseconds; hash what is stored so verification sees the same bytes.
        this.occurredAt = occurredAt.truncatedTo(ChronoUnit.MILLIS);
        this.actor = actor;
        this.action = action;
        this.resource = resource;
        this.outcome = outcome;
        this.detail = detail;
        this.prevHash = prevHash;
        this.entryHash = computeHash();
    }

    /** SHA-256 over the predecessor's hash and every field, length-prefixed so fields cannot shift. */
    public String computeHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {prevHash, Long.toString(occurredAt.toEpochMilli()), actor, action,
                    resource, outcome, detail == null ? "" : detail}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public Long getId() {
        return id;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getActor() {
        return actor;
    }

    public String getAction() {
        return action;
    }

    public String getResource() {
        return resource;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getDetail() {
        return detail;
    }

    public String getPrevHash() {
        return prevHash;
    }

    public String getEntryHash() {
        return entryHash;
    }
}
