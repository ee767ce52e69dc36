package com.datarsync.datasource.infra;

import com.datarsync.datasource.domain.DataSource;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface DataSourceRepository extends JpaRepository<DataSource, Long> {

    List<DataSource> findAllByOrderByNameAsc();
}
