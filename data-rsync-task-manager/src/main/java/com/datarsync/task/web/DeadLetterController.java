package com.datarsync.task.web;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.task.domain.StoredDeadLetter;
import com.datarsync.task.infra.DeadLetterStore;
import com.datarsync.task.service.DeadLetterReplay;
import com.datarsync.task.service.TaskCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A task's dead letters: list (filtered by stage and code, paged), read one, replay one or all
 * matching through the stage that failed them, discard one or all matching.
 */
@RestController
@RequestMapping("/api/tasks/{taskId}/dead-letters")
public class DeadLetterController {

    /** The most letters one replay or discard call handles; call again for the rest. */
    private static final int BULK = 10_000;

    private final TaskCatalog catalog;
    private final DeadLetterStore store;
    private final DeadLetterReplay replay;

    public DeadLetterController(TaskCatalog catalog, DeadLetterStore store, DeadLetterReplay replay) {
        this.catalog = catalog;
        this.store = store;
        this.replay = replay;
    }

    /** The letters, newest first, without their payloads; {@code total} counts all that match. */
    @GetMapping
    public TaskViews.Page<TaskViews.DeadLetterView> list(@PathVariable String taskId,
            @RequestParam(required = false) String stage, @RequestParam(required = false) String code,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        catalog.get(taskId);
        com.datarsync.common.web.Paging.of(page, size, 200);
        if (page < 0 || size < 1 || size > 200) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "page >= 0 and 1 <= size <= 200",
                    Map.of("field", "size"), null);
        }
        long total = store.counts(taskId, stage, code).values().stream().mapToLong(Long::longValue).sum();
        List<TaskViews.DeadLetterView> items = store.find(taskId, stage, code, page * size, size).stream()
                .map(l -> TaskViews.DeadLetterView.of(l, false)).toList();
        return new TaskViews.Page<>(items, page, size, total);
    }

    @GetMapping("/{letterId}")
    public TaskViews.DeadLetterView get(@PathVariable String taskId, @PathVariable String letterId) {
        catalog.get(taskId);
        return TaskViews.DeadLetterView.of(letter(taskId, letterId), true);
    }

    @PostMapping("/{letterId}/replay")
    public DeadLetterReplay.Outcome replayOne(@PathVariable String taskId, @PathVariable String letterId) {
        return replay.replay(definition(taskId), List.of(letter(taskId, letterId)));
    }

    /** Replays every letter matching the filters (at most 10,000 per call), oldest first. */
    @PostMapping("/replay")
    public DeadLetterReplay.Outcome replayAll(@PathVariable String taskId, @RequestParam(required = false) String stage,
            @RequestParam(required = false) String code) {
        SyncTaskDefinition definition = definition(taskId);
        return replay.replay(definition, store.find(taskId, stage, code, 0, BULK));
    }

    @DeleteMapping("/{letterId}")
    public Map<String, Object> discard(@PathVariable String taskId, @PathVariable String letterId) {
        catalog.get(taskId);
        if (!store.remove(taskId, letterId)) {
            throw notFound(taskId, letterId);
        }
        return Map.of("discarded", List.of(letterId));
    }

    /** Discards every letter matching the filters (at most 10,000 per call). */
    @DeleteMapping
    public Map<String, Object> discardAll(@PathVariable String taskId, @RequestParam(required = false) String stage,
            @RequestParam(required = false) String code) {
        catalog.get(taskId);
        List<String> discarded = new ArrayList<>();
        for (StoredDeadLetter l : store.find(taskId, stage, code, 0, BULK)) {
            if (store.remove(taskId, l.id())) {
                discarded.add(l.id());
            }
        }
        return Map.of("discarded", discarded);
    }

    private SyncTaskDefinition definition(String taskId) {
        return SyncTaskDefinitions.parse(catalog.get(taskId).getDefinitionJson());
    }

    private StoredDeadLetter letter(String taskId, String letterId) {
        return store.get(taskId, letterId).orElseThrow(() -> notFound(taskId, letterId));
    }

    private static DataRsyncException notFound(String taskId, String letterId) {
        return new DataRsyncException(ErrorCode.NOT_FOUND, "Task '" + taskId + "' has no dead letter '" + letterId + "'",
                Map.of("taskId", taskId, "letterId", letterId), null);
    }
}
