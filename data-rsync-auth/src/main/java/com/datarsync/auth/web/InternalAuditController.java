package com.datarsync.auth.web;

import com.datarsync.auth.service.AuditRecorder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the gateway appends the audit entry of every state-changing request it passed to
 * another service (auth audits its own). Internal credential only: no user can write here.
 */
@RestController
public class InternalAuditController {

    private final AuditRecorder audit;

    public InternalAuditController(AuditRecorder audit) {
        this.audit = audit;
    }

    /**
     * @param actor   the caller's username, or "-" without a valid token
     * @param action  method and route, e.g. {@code POST /api/tasks/{id}/start}
     * @param target  the request path (the target's id is in it)
     * @param status  the answer's HTTP status; 2xx and 3xx are a success
     * @param address the caller's address as the gateway saw it
     * @param query   the query string, if any (ids and flags, never a body)
     */
    public record GatewayEntry(String actor, String action, String target, int status, String address, String query,
                               String code) {
    }

    @PostMapping("/internal/audit")
    public ResponseEntity<Void> append(@RequestBody GatewayEntry e) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", e.status());
        if (e.query() != null && !e.query().isBlank()) {
            summary.put("query", e.query().length() > 500 ? e.query().substring(0, 500) : e.query());
        }
        if (e.code() != null && !e.code().isBlank()) {
            summary.put("error", e.code());
        }
        audit.record(e.actor(), e.action(), e.target() == null ? "-" : e.target(), e.status() < 400, e.address(), summary);
        return ResponseEntity.noContent().build();
    }
}
