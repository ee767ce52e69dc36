package com.datarsync.monitor.domain;

import java.time.Instant;
import java.util.List;

/**
 * One notification: a rule's alerts that fire (or repeat), or that resolved, sent together as
 * one message (many tasks under one rule make one message, not one each).
 *
 * @param rule     the rule's name
 * @param resolved whether this message says the alerts cleared
 * @param alerts   what each alert is about, at least one
 */
public record AlertMessage(String rule, AlertSeverity severity, boolean resolved, List<Alert> alerts, Instant at) {

    public AlertMessage {
        if (alerts == null || alerts.isEmpty()) {
            throw new IllegalArgumentException("an alert message names at least one alert");
        }
        alerts = List.copyOf(alerts);
    }

    /**
     * @param subject what the alert is about: a task id, a data source's name, a host
     * @param value   the value the rule compared, as text ({@code 312000 ms}, {@code FAILED})
     * @param detail  one line more (the task's error message), or null
     */
    public record Alert(String subject, String value, String detail) {
    }
}
