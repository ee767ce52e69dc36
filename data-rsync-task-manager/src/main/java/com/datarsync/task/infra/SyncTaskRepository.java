package com.datarsync.task.infra;

import com.datarsync.task.domain.SyncTask;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface SyncTaskRepository extends JpaRepository<SyncTask, String> {

    List<SyncTask> findAllByOrderByIdAsc();
}
