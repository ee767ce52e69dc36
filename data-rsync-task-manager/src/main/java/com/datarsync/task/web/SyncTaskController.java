package com.datarsync.task.web;

import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.TaskStatus;
import com.datarsync.task.infra.SyncTaskRepository;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/tasks")
public class SyncTaskController {

    private final SyncTaskRepository tasks;

    public SyncTaskController(SyncTaskRepository tasks) {
        this.tasks = tasks;
    }

    @GetMapping
    public List<SyncTaskView> list() {
        return tasks.findAllByOrderByIdAsc().stream().map(SyncTaskView::of).toList();
    }

    public record SyncTaskView(String id, String name, TaskStatus status, String statusReason, Instant updatedAt) {
        static SyncTaskView of(SyncTask t) {
            return new SyncTaskView(t.getId(), t.getName(), t.getStatus(), t.getStatusReason(), t.getUpdatedAt());
        }
    }
}
