package com.datarsync.auth.web;

import com.datarsync.auth.domain.AuditEntry;
import com.datarsync.auth.infra.AuditEntryRepository;
import com.datarsync.auth.service.AuditTrail;
import com.datarsync.auth.service.UserAccounts.PageOf;
import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reading the audit log (audit:read). There is no route that changes or removes an entry. */
@RestController
@RequestMapping("/api/auth/audit")
public class AuditController {

    private final AuditEntryRepository entries;
    private final AuditTrail trail;

    public AuditController(AuditEntryRepository entries, AuditTrail trail) {
        this.entries = entries;
        this.trail = trail;
    }

    public record EntryView(long id, Instant occurredAt, String actor, String action, String resource,
                            String outcome, String detail, String hash) {
    }

    /** Newest first; filters by time range [from, to), actor and action. */
    @GetMapping
    public PageOf<EntryView> search(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        com.datarsync.common.web.Paging.Page p = com.datarsync.common.web.Paging.of(page, size, 500);
        Page<AuditEntry> found = entries.search(from, to, actor, action, PageRequest.of(p.page(), p.size()));
        List<EntryView> items = found.stream().map(e -> new EntryView(e.getId(), e.getOccurredAt(), e.getActor(),
                e.getAction(), e.getResource(), e.getOutcome(), e.getDetail(), e.getEntryHash())).toList();
        return new PageOf<>(items, found.getTotalElements(), found.getNumber(), found.getSize());
    }

    /** Walks the whole chain and names every entry that was edited, removed or cut off. */
    @GetMapping("/verification")
    public AuditTrail.Verification verify() {
        return trail.verify();
    }
}
