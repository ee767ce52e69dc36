package com.datarsync.task.web;

import com.datarsync.task.infra.SyncTaskRepository;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The suite's own questions about tasks, behind the internal credential. */
@RestController
@RequestMapping("/internal/tasks")
public class InternalTaskController {

    private final SyncTaskRepository tasks;

    public InternalTaskController(SyncTaskRepository tasks) {
        this.tasks = tasks;
    }

    /** The ids of the tasks built on a data source (asked before the source is deleted or changed). */
    @GetMapping
    public List<String> usingDataSource(@RequestParam long dataSourceId) {
        return tasks.findIdsByDataSourceId(dataSourceId);
    }
}
