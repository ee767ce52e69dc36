package com.datarsync.monitor.domain;

import java.time.Instant;

/**
 * Quiets notifications until {@code endsAt}: of one rule ({@code ruleId}) or every rule (null),
 * about one subject (a task id, a source name, a host) or every subject (null). Alerts keep being
 * evaluated while silenced; what still fires when the silence ends is sent then.
 */
public record AlertSilence(Long ruleId, String subject, Instant endsAt, String reason) {

    public boolean covers(long rule, String alertSubject, Instant now) {
        return now.isBefore(endsAt) && (ruleId == null || ruleId == rule)
                && (subject == null || subject.equals(alertSubject));
    }
}
