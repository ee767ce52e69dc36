package com.datarsync.task.infra;

import com.datarsync.task.domain.TaskVerification;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface TaskVerificationRepository extends JpaRepository<TaskVerification, Long> {

    Page<TaskVerification> findByTaskIdOrderByIdDesc(String taskId, Pageable page);

    Optional<TaskVerification> findByIdAndTaskId(Long id, String taskId);

    boolean existsByTaskIdAndStateAndStartedAtAfter(String taskId, TaskVerification.State state, java.time.Instant after);

    @Modifying
    @Query("delete from TaskVerification v where v.taskId = :taskId")
    void deleteByTaskId(String taskId);
}
