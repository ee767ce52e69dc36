package com.datarsync.task.infra;

import com.datarsync.task.domain.SyncTask;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

public interface SyncTaskRepository extends JpaRepository<SyncTask, String>, JpaSpecificationExecutor<SyncTask> {

    @Query("select t.id from SyncTask t order by t.id")
    List<String> findAllIds();
}
