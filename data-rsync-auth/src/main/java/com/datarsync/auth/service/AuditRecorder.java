package com.datarsync.auth.service;

import com.datarsync.common.event.EventJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Auth's own audit entries (logins, sessions, users, roles): one line each in the chain, with a
 * summary that never holds a password or a token. A failed append is logged and does not undo
 * the action it describes.
 */
@Component
public class AuditRecorder {

    private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);

    private final AuditTrail trail;

    public AuditRecorder(AuditTrail trail) {
        this.trail = trail;
    }

    public void record(String actor, String action, String resource, boolean success, String address,
                       Map<String, ?> summary) {
        Map<String, Object> detail = new LinkedHashMap<>(summary);
        if (address != null) {
            detail.put("address", address);
        }
        try {
            trail.append(actor == null || actor.isBlank() ? "-" : truncate(actor, 64), truncate(action, 64),
                    truncate(resource, 255), success ? "SUCCESS" : "FAILURE", json(detail));
        } catch (RuntimeException e) {
            log.error("Audit entry {} {} could not be written: {}", action, resource, e.toString());
        }
    }

    private static String json(Map<String, Object> detail) {
        try {
            return EventJson.mapper().writeValueAsString(detail);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return detail.toString();
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
