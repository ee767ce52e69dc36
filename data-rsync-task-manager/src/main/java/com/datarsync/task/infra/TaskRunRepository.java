package com.datarsync.task.infra;

import com.datarsync.task.domain.RunOutcome;
import com.datarsync.task.domain.TaskRun;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface TaskRunRepository extends JpaRepository<TaskRun, Long> {

    Optional<TaskRun> findFirstByTaskIdAndOutcomeOrderByIdDesc(String taskId, RunOutcome outcome);

    Optional<TaskRun> findFirstByTaskIdOrderByIdDesc(String taskId);

    Page<TaskRun> findByTaskIdOrderByIdDesc(String taskId, Pageable page);

    /** Per task and day (UTC, by run start): runs and rows carried, for the dashboard. */
    @Query(value = """
            SELECT task_id, DATE(started_at) AS day, COUNT(*) AS runs,
                   SUM(rows_snapshotted + rows_inserted + rows_updated + rows_deleted) AS row_count,
                   SUM(CASE WHEN outcome = 'FAILED' THEN 1 ELSE 0 END) AS failed
              FROM task_run WHERE started_at >= NOW() - INTERVAL :days DAY
             GROUP BY task_id, DATE(started_at) ORDER BY day, task_id""", nativeQuery = true)
    List<Object[]> dailyStatistics(int days);

    @Modifying
    @Query("delete from TaskRun r where r.taskId = :taskId")
    void deleteByTaskId(String taskId);
}
