package com.datarsync.monitor.infra;

import com.datarsync.monitor.domain.SilenceRecord;
import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface SilenceRepository extends JpaRepository<SilenceRecord, Long> {

    List<SilenceRecord> findByEndsAtAfterOrderByEndsAt(Instant now);
}
