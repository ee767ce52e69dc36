package com.datarsync.monitor.infra;

import com.datarsync.monitor.domain.AlertChannelDefinition;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface AlertChannelRepository extends JpaRepository<AlertChannelDefinition, Long> {

    Optional<AlertChannelDefinition> findByName(String name);
}
