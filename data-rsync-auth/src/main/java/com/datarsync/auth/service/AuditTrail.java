package com.datarsync.auth.service;

import com.datarsync.auth.domain.AuditChainHead;
import com.datarsync.auth.domain.AuditEntry;
import com.datarsync.auth.infra.AuditChainHeadRepository;
import com.datarsync.auth.infra.AuditEntryRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The append-only, hash-chained audit log. Appends lock the chain head row, so concurrent
 * writers (threads or service instances) queue up and the chain stays linear; the table's
 * unique predecessor constraint is the last line of defence. The newest hash is also kept in
 * Redis, outside the database, so rolling the head row back together with dropping the newest
 * entries is still noticed.
 */
@Service
public class AuditTrail {

    static final String ANCHOR_KEY = SessionStore.PREFIX + "audit:newest-hash";

    private final AuditEntryRepository entries;
    private final AuditChainHeadRepository head;
    private final ObjectProvider<StringRedisTemplate> redis;
    private final Clock clock = Clock.systemUTC();
    private final jakarta.persistence.EntityManager persistence;

    public AuditTrail(AuditEntryRepository entries, AuditChainHeadRepository head,
                      ObjectProvider<StringRedisTemplate> redis, jakarta.persistence.EntityManager persistence) {
        this.entries = entries;
        this.persistence = persistence;
        this.head = head;
        this.redis = redis;
    }

    @Transactional
    public AuditEntry append(String actor, String action, String resource, String outcome, String detail) {
        AuditChainHead tail = head.lockHead()
                .orElseThrow(() -> new IllegalStateException("audit_chain_head row missing: migration V1 not applied"));
        AuditEntry entry = entries.saveAndFlush(
                new AuditEntry(clock.instant(), actor, action, resource, outcome, detail, tail.getLastHash()));
        tail.advanceTo(entry.getEntryHash());
        anchorAfterCommit(entry.getId(), entry.getEntryHash());
        return entry;
    }

    /** Walks the chain from the first entry; answers the id of the first entry that does not fit. */
    @Transactional(readOnly = true)
    public Optional<Long> firstBrokenEntry() {
        return verify().breaks().stream().map(Break::entryId).findFirst();
    }

    /**
     * Every place the chain does not hold: an entry whose fields no longer give its hash
     * (edited), an entry whose predecessor is not the entry before it (one or more deleted, or
     * the one before rewritten), and a newest entry that is not the chain's head (the newest
     * entries dropped).
     */
    @Transactional(readOnly = true)
    public Verification verify() {
        List<Break> breaks = new ArrayList<>();
        String expectedPrev = AuditEntry.GENESIS;
        Long previousId = null;
        long count = 0;
        String[] anchor = anchor();
        long anchorId = anchor == null ? -1 : Long.parseLong(anchor[0]);
        // A page at a time by id, forgetting each page once checked: a chain of millions of
        // entries never sits in memory (the JDBC driver buffers a whole result set, and the
        // persistence context would keep every entry read).
        long after = Long.MIN_VALUE;
        List<AuditEntry> page;
        do {
            page = entries.findTop1000ByIdGreaterThanOrderByIdAsc(after);
            for (AuditEntry e : page) {
                count++;
                if (!e.getEntryHash().equals(e.computeHash())) {
                    breaks.add(new Break(e.getId(), "ALTERED", "entry " + e.getId()
                            + " was changed after it was written: its fields no longer give its hash"));
                }
                if (!e.getPrevHash().equals(expectedPrev)) {
                    breaks.add(new Break(e.getId(), "MISSING_BEFORE", previousId == null
                            ? "entries before entry " + e.getId() + " (the first one left) were removed"
                            : "entry " + e.getId() + " does not follow entry " + previousId
                            + ": an entry between them was removed or entry " + previousId + " was replaced"));
                }
                if (e.getId() == anchorId && !e.getEntryHash().equals(anchor[1])) {
                    breaks.add(new Break(e.getId(), "ALTERED", "entry " + e.getId()
                            + " is not the entry written under this id (its hash differs from the one kept outside the database)"));
                }
                expectedPrev = e.getEntryHash();
                previousId = e.getId();
                after = e.getId();
            }
            persistence.clear();
        } while (page.size() == 1000);
        String headHash = head.findById(AuditChainHead.ID).map(AuditChainHead::getLastHash).orElse(null);
        if (headHash != null && !headHash.equals(expectedPrev)) {
            breaks.add(new Break(previousId, "TRUNCATED", previousId == null
                    ? "every entry was removed" : "entries after entry " + previousId + " were removed"));
        } else if (previousId == null ? anchorId >= 0 : anchorId > previousId) {
            breaks.add(new Break(previousId, "TRUNCATED", "the newest entries were removed and the chain head "
                    + "rolled back (the hash kept outside the database is not the newest entry's)"));
        }
        return new Verification(breaks.isEmpty(), count, breaks);
    }

    public record Break(Long entryId, String kind, String message) {
    }

    public record Verification(boolean intact, long entries, List<Break> breaks) {
    }

    /** Moves the anchor forward only: appends that commit close together may reach Redis out of order. */
    private static final org.springframework.data.redis.core.script.RedisScript<Long> ADVANCE =
            org.springframework.data.redis.core.script.RedisScript.of(
                    "local cur = redis.call('GET', KEYS[1]) "
                            + "if cur and tonumber(string.match(cur, '^(%d+)|')) >= tonumber(ARGV[1]) then return 0 end "
                            + "redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2]) return 1", Long.class);

    private void anchorAfterCommit(long id, String hash) {
        StringRedisTemplate template = redis.getIfAvailable();
        if (template == null) {
            return;
        }
        Runnable write = () -> {
            try {
                template.execute(ADVANCE, List.of(ANCHOR_KEY), Long.toString(id), hash);
            } catch (RuntimeException e) {
                // Redis away: the database chain still detects edits and deletions.
            }
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    write.run();
                }
            });
        } else {
            write.run();
        }
    }

    /** The id and hash of the newest entry as Redis last saw it, or null. */
    private String[] anchor() {
        StringRedisTemplate template = redis.getIfAvailable();
        try {
            String value = template == null ? null : template.opsForValue().get(ANCHOR_KEY);
            return value == null || value.indexOf('|') < 0 ? null : value.split("\\|", 2);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
