package com.datarsync.monitor.infra;

import com.datarsync.monitor.domain.NotificationRecord;
import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface NotificationRepository extends JpaRepository<NotificationRecord, Long> {

    @Query("select n from NotificationRecord n where (:ruleId is null or n.ruleId = :ruleId)"
            + " and n.sentAt >= :from and n.sentAt < :to order by n.sentAt desc, n.id desc")
    List<NotificationRecord> history(@Param("ruleId") Long ruleId, @Param("from") Instant from,
            @Param("to") Instant to, Pageable page);
}
