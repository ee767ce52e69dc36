package com.datarsync.auth.service;

import com.datarsync.auth.domain.AuditChainHead;
import com.datarsync.auth.domain.AuditEntry;
import com.datarsync.auth.infra.AuditChainHeadRepository;
import com.datarsync.auth.infra.AuditEntryRepository;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The append-only, hash-chained audit log. Appends lock the chain head row, so concurrent
 * writers (threads or service instances) queue up and the chain stays linear; the table's
 * unique predecessor constraint is the last line of defence.
 */
@Service
public class AuditTrail {

    private final AuditEntryRepository entries;
    private final AuditChainHeadRepository head;
    private final Clock clock = Clock.systemUTC();

    public AuditTrail(AuditEntryRepository entries, AuditChainHeadRepository head) {
        this.entries = entries;
        this.head = head;
    }

    @Transactional
    public AuditEntry append(String actor, String action, String resource, String outcome, String detail) {
        AuditChainHead tail = head.lockHead()
                .orElseThrow(() -> new IllegalStateException("audit_chain_head row missing: migration V1 not applied"));
        AuditEntry entry = entries.saveAndFlush(
                new AuditEntry(clock.instant(), actor, action, resource, outcome, detail, tail.getLastHash()));
        tail.advanceTo(entry.getEntryHash());
        return entry;
    }

    /** Walks the chain from the first entry; answers the id of the first entry that does not fit. */
    @Transactional(readOnly = true)
    public Optional<Long> firstBrokenEntry() {
        String expectedPrev = AuditEntry.GENESIS;
        try (Stream<AuditEntry> all = entries.streamAllByOrderByIdAsc()) {
            for (AuditEntry e : (Iterable<AuditEntry>) all::iterator) {
                if (!e.getPrevHash().equals(expectedPrev) || !e.getEntryHash().equals(e.computeHash())) {
                    return Optional.of(e.getId());
                }
                expectedPrev = e.getEntryHash();
            }
        }
        return Optional.empty();
    }
}
