package com.datarsync.common.stage;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Start, stop and status of tasks in one stage, under the service's API prefix
 * ({@code /api/listener}, {@code /api/process}, {@code /api/milvus}). The body of a start is the
 * task definition JSON, read as text so that its errors name the field.
 */
@RestController
@RequestMapping("${datarsync.service.api-prefix}/tasks")
public class TaskStageController {

    private final TaskStageService service;

    public TaskStageController(TaskStageService service) {
        this.service = service;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public TaskStatus start(@RequestBody String definitionJson) {
        return service.start(definitionJson);
    }

    @DeleteMapping("/{taskId}")
    public TaskStatus stop(@PathVariable String taskId) {
        return service.stop(taskId);
    }

    @GetMapping("/{taskId}")
    public TaskStatus status(@PathVariable String taskId) {
        return service.status(taskId);
    }
}
