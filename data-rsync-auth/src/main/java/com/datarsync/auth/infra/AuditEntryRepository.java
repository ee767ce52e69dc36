package com.datarsync.auth.infra;

import com.datarsync.auth.domain.AuditEntry;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AuditEntryRepository extends JpaRepository<AuditEntry, Long> {

    Optional<AuditEntry> findTopByOrderByIdDesc();

    Stream<AuditEntry> streamAllByOrderByIdAsc();
}
