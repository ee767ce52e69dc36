package com.datarsync.task.infra;

import com.datarsync.task.domain.SyncTask;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface SyncTaskRepository extends JpaRepository<SyncTask, String>, JpaSpecificationExecutor<SyncTask> {
}
