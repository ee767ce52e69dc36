package com.datarsync.auth.service;

import com.datarsync.auth.domain.AuditEntry;
import com.datarsync.auth.infra.AuditEntryRepository;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The append-only, hash-chained audit log. Appends are linear: the table allows one successor
 * per entry, so a writer that raced another retries on the new tail.
 */
@Service
public class AuditTrail {

    private static final int APPEND_ATTEMPTS = 5;

    private final AuditEntryRepository entries;
    private final TransactionTemplate tx;
    private final Clock clock;

    @Autowired
    public AuditTrail(AuditEntryRepository entries, TransactionTemplate tx) {
        this(entries, tx, Clock.systemUTC());
    }

    AuditTrail(AuditEntryRepository entries, TransactionTemplate tx, Clock clock) {
        this.entries = entries;
        this.tx = tx;
        this.clock = clock;
    }

    public AuditEntry append(String actor, String action, String resource, String outcome, String detail) {
        DataIntegrityViolationException last = null;
        for (int attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
            try {
                return tx.execute(status -> {
                    String prev = entries.findTopByOrderByIdDesc().map(AuditEntry::getEntryHash)
                            .orElse(AuditEntry.GENESIS);
                    return entries.saveAndFlush(
                            new AuditEntry(clock.instant(), actor, action, resource, outcome, detail, prev));
                });
            } catch (DataIntegrityViolationException e) {
                last = e; // another writer took this predecessor; read the new tail and try again
            }
        }
        throw last;
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
