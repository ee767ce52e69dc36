package com.datarsync.monitor.infra;

import com.datarsync.monitor.domain.AlertRuleDefinition;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AlertRuleRepository extends JpaRepository<AlertRuleDefinition, Long> {

    Optional<AlertRuleDefinition> findByName(String name);

    List<AlertRuleDefinition> findByEnabledTrue();
}
