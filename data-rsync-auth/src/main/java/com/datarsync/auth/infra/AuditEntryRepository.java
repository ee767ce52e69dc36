package com.datarsync.auth.infra;

import com.datarsync.auth.domain.AuditEntry;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AuditEntryRepository extends JpaRepository<AuditEntry, Long> {

    Optional<AuditEntry> findTopByOrderByIdDesc();

    /** The next page of the chain, by id. */
    java.util.List<AuditEntry> findTop1000ByIdGreaterThanOrderByIdAsc(long after);

    @org.springframework.data.jpa.repository.Query("""
            select e from AuditEntry e
            where (cast(:from as timestamp) is null or e.occurredAt >= :from)
              and (cast(:to as timestamp) is null or e.occurredAt < :to)
              and (:actor is null or e.actor = :actor)
              and (:action is null or e.action = :action)
            order by e.id desc""")
    org.springframework.data.domain.Page<AuditEntry> search(java.time.Instant from, java.time.Instant to,
                                                             String actor, String action,
                                                             org.springframework.data.domain.Pageable page);
}
