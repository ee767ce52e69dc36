package com.datarsync.task.infra;

import com.datarsync.task.domain.SyncTask;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

public interface SyncTaskRepository extends JpaRepository<SyncTask, String>, JpaSpecificationExecutor<SyncTask> {

    @Query("select t.id from SyncTask t where t.dataSourceId = ?1 order by t.id")
    List<String> findIdsByDataSourceId(long dataSourceId);

    /** The data source a task reads from; empty when there is no such task. */
    @Query("select t.dataSourceId from SyncTask t where t.id = ?1")
    Optional<Long> findDataSourceIdById(String id);

    @Query("select t.id from SyncTask t where t.dataSourceId in ?1")
    List<String> findIdsByDataSourceIdIn(Collection<Long> dataSourceIds);
}
