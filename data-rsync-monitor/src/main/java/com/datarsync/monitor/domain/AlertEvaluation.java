package com.datarsync.monitor.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of one rule, the way Alertmanager users expect it to behave: a subject whose
 * condition holds is pending until it held for the rule's {@code for}, then fires and is sent;
 * while it keeps firing it is sent again each {@code repeat} interval; a silence holds back
 * sending (not evaluating), and a firing subject is sent when its silence ends; when the
 * condition clears, a subject that was sent is sent once more as resolved. Everything due at
 * one evaluation goes in one message per kind (firing, resolved), however many subjects.
 */
public final class AlertEvaluation {

    /** A subject whose condition holds now, with the value compared and a line of detail. */
    public record Breach(String subject, String value, String detail) {
    }

    /** The states to keep for the next evaluation and the messages to send now (0 to 2). */
    public record Outcome(Map<String, AlertState> states, List<AlertMessage> messages) {
    }

    private AlertEvaluation() {
    }

    public static Outcome evaluate(long ruleId, String ruleName, AlertSeverity severity, Duration forDuration,
            Duration repeat, Map<String, AlertState> before, Collection<Breach> breaches,
            Collection<AlertSilence> silences, Instant now) {
        Map<String, AlertState> after = new LinkedHashMap<>();
        List<AlertMessage.Alert> firing = new ArrayList<>();
        List<AlertMessage.Alert> resolved = new ArrayList<>();
        for (Breach breach : breaches) {
            AlertState was = before.get(breach.subject());
            Instant pendingSince = was == null ? now : was.pendingSince();
            Instant firingSince = was != null && was.firing() ? was.firingSince()
                    : !now.isBefore(pendingSince.plus(forDuration)) ? now : null;
            Instant notifiedAt = was == null ? null : was.notifiedAt();
            if (firingSince != null && !silenced(silences, ruleId, breach.subject(), now)
                    && (notifiedAt == null || !now.isBefore(notifiedAt.plus(repeat)))) {
                firing.add(new AlertMessage.Alert(breach.subject(), breach.value(), breach.detail()));
                notifiedAt = now;
            }
            after.put(breach.subject(), new AlertState(breach.subject(), pendingSince, firingSince, notifiedAt,
                    breach.value(), breach.detail()));
        }
        for (AlertState was : before.values()) {
            if (!after.containsKey(was.subject()) && was.notifiedAt() != null
                    && !silenced(silences, ruleId, was.subject(), now)) {
                resolved.add(new AlertMessage.Alert(was.subject(), was.value(), null));
            }
        }
        List<AlertMessage> messages = new ArrayList<>();
        if (!firing.isEmpty()) {
            messages.add(new AlertMessage(ruleName, severity, false, firing, now));
        }
        if (!resolved.isEmpty()) {
            messages.add(new AlertMessage(ruleName, severity, true, resolved, now));
        }
        return new Outcome(after, messages);
    }

    private static boolean silenced(Collection<AlertSilence> silences, long ruleId, String subject, Instant now) {
        return silences.stream().anyMatch(s -> s.covers(ruleId, subject, now));
    }
}
