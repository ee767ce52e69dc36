package com.datarsync.stage;

import com.datarsync.common.stage.TaskStatus;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The worker endpoints the task manager calls on every stage instance. They sit under
 * {@code /internal/stage}, which the gateway does not route: operators drive tasks through
 * {@code /api/tasks}. Bodies are read as text so that a definition's errors name the field.
 */
@RestController
@RequestMapping(TaskStageController.PATH)
public class TaskStageController {

    public static final String PATH = "/internal/stage";

    private final TaskStageService service;

    public TaskStageController(TaskStageService service) {
        this.service = service;
    }

    @PostMapping(path = "/validate", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> validate(@RequestBody String definitionJson) {
        return Map.of("taskId", service.validate(definitionJson).id(), "valid", true);
    }

    @PutMapping(path = "/tasks/{taskId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public TaskStatus assign(@PathVariable String taskId, @RequestBody String assignmentJson) {
        return service.assign(taskId, assignmentJson);
    }

    @DeleteMapping("/tasks/{taskId}")
    public TaskStatus release(@PathVariable String taskId) {
        return service.release(taskId);
    }

    @GetMapping("/tasks")
    public List<TaskStatus> statuses() {
        return service.statuses();
    }

    @GetMapping("/tasks/{taskId}")
    public TaskStatus status(@PathVariable String taskId) {
        return service.status(taskId);
    }

    @PostMapping(path = "/measure", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Long> measure(@RequestBody String definitionJson) {
        return service.measure(definitionJson);
    }

    @PostMapping(path = "/cleanup", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> cleanUp(@RequestBody String definitionJson,
            @RequestParam(defaultValue = "false") boolean dropTarget) {
        return Map.of("removed", service.cleanUp(definitionJson, dropTarget));
    }
}
