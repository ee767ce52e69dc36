package com.datarsync.task.infra;

import com.datarsync.task.domain.TaskRunLog;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface TaskRunLogRepository extends JpaRepository<TaskRunLog, Long> {

    List<TaskRunLog> findByRunIdOrderByIdAsc(long runId);

    @Modifying
    @Query("delete from TaskRunLog l where l.taskId = :taskId")
    void deleteByTaskId(String taskId);
}
