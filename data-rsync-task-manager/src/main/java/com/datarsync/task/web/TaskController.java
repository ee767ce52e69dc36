package com.datarsync.task.web;

import com.datarsync.task.service.TaskRequest;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.web.DataPermissions;
import com.datarsync.task.domain.RunTrigger;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import com.datarsync.task.domain.TaskLifecycle;
import com.datarsync.task.infra.SyncTaskRepository;
import com.datarsync.task.infra.TaskRunRepository;
import com.datarsync.task.service.TaskCatalog;
import com.datarsync.task.service.TaskQueries;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.persistence.criteria.Predicate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
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

/** The task API: tasks, their actions, status, runs, run logs and daily statistics. */
@RestController
@RequestMapping("/api/tasks")
public class TaskController {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final TaskCatalog catalog;
    private final TaskStatusReader statusReader;
    private final SyncTaskRepository tasks;
    private final TaskRunRepository runs;

    private final com.datarsync.task.service.VerificationService verifications;
    private final com.datarsync.task.service.TaskSearch search;
    private final TaskQueries queries;

    public TaskController(TaskCatalog catalog, TaskStatusReader statusReader, SyncTaskRepository tasks,
            TaskRunRepository runs, com.datarsync.task.service.VerificationService verifications,
            com.datarsync.task.service.TaskSearch search, TaskQueries queries) {
        this.queries = queries;
        this.verifications = verifications;
        this.search = search;
        this.catalog = catalog;
        this.statusReader = statusReader;
        this.tasks = tasks;
        this.runs = runs;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public TaskViews.TaskView create(@RequestBody String body) {
        return view(catalog.create(request(body)));
    }

    /**
     * Checks a task request as {@code POST /api/tasks} and a start would, saving and creating
     * nothing (the console's wizard asks before it saves); answers the definition as it would be saved.
     */
    @PostMapping(path = "/validate", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> validate(@RequestBody String body) {
        return Map.of("valid", true, "definition", readTree(com.datarsync.common.task.SyncTaskDefinitions.toJson(catalog.validate(request(body)))));
    }

    /**
     * Lists tasks, by id; {@code state} and {@code q} (in id or name) filter. A caller who does not
     * see every data source sees only the tasks on the sources assigned to them.
     */
    @GetMapping
    public TaskViews.Page<TaskViews.TaskView> list(@RequestParam(required = false) SyncTaskState state,
            @RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > 200) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "page >= 0 and 1 <= size <= 200",
                    Map.of("field", "size"), null);
        }
        DataPermissions scope = DataPermissions.current();
        Specification<SyncTask> filter = (root, query, cb) -> {
            List<Predicate> where = new ArrayList<>();
            if (!scope.all()) {
                where.add(scope.dataSourceIds().isEmpty() ? cb.disjunction()
                        : root.get("dataSourceId").in(scope.dataSourceIds()));
            }
            if (state != null) {
                where.add(cb.equal(root.get("state"), state));
            }
            if (q != null && !q.isBlank()) {
                String like = "%" + q.toLowerCase().replace("%", "\\%").replace("_", "\\_") + "%";
                where.add(cb.or(cb.like(cb.lower(root.get("id")), like), cb.like(cb.lower(root.get("name")), like)));
            }
            return cb.and(where.toArray(Predicate[]::new));
        };
        com.datarsync.common.web.Paging.of(page, size, 200);
        var result = tasks.findAll(filter, PageRequest.of(page, size, Sort.by(Sort.Direction.ASC, "id")));
        return new TaskViews.Page<>(result.getContent().stream().map(TaskController::view).toList(), page, size,
                result.getTotalElements());
    }

    @GetMapping("/{id}")
    public TaskViews.TaskView get(@PathVariable String id) {
        return view(catalog.get(id));
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public TaskViews.TaskView update(@PathVariable String id, @RequestBody String body) {
        return view(catalog.update(id, request(body)));
    }

    @DeleteMapping("/{id}")
    public TaskViews.Deleted delete(@PathVariable String id,
            @RequestParam(defaultValue = "false") boolean dropCollection) {
        return new TaskViews.Deleted(id, catalog.delete(id, dropCollection));
    }

    @PostMapping("/{id}/start")
    public TaskViews.TaskView start(@PathVariable String id) {
        return view(catalog.start(id));
    }

    @PostMapping("/{id}/stop")
    public TaskViews.TaskView stop(@PathVariable String id) {
        return view(catalog.stop(id));
    }

    @PostMapping("/{id}/pause")
    public TaskViews.TaskView pause(@PathVariable String id) {
        return view(catalog.pause(id));
    }

    @PostMapping("/{id}/resume")
    public TaskViews.TaskView resume(@PathVariable String id) {
        return view(catalog.resume(id));
    }

    @PostMapping("/{id}/restart")
    public TaskViews.TaskView restart(@PathVariable String id) {
        return view(catalog.restart(id));
    }

    @GetMapping("/{id}/status")
    public TaskViews.TaskStatusView status(@PathVariable String id) {
        return statusReader.status(id);
    }

    @GetMapping("/{id}/runs")
    public List<TaskViews.RunView> runs(@PathVariable String id, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        return queries.runs(id, Math.max(page, 0), Math.min(Math.max(size, 1), 200)).stream()
                .map(TaskViews.RunView::of).toList();
    }

    @GetMapping("/{id}/runs/{runId}/log")
    public List<TaskViews.RunLogLine> runLog(@PathVariable String id, @PathVariable long runId) {
        return queries.runLog(id, runId).stream().map(TaskViews.RunLogLine::of).toList();
    }

    /**
     * Starts a verification (answer 202, state RUNNING); {@code sample} rows are compared field by
     * field and vector by vector. Follow it at {@code /verifications/{verificationId}}.
     */
    @PostMapping("/{id}/verifications")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.ACCEPTED)
    public TaskViews.VerificationView verify(@PathVariable String id, @RequestParam(required = false) Integer sample) {
        return TaskViews.VerificationView.of(verifications.start(id,
                com.datarsync.task.domain.TaskVerification.Trigger.MANUAL, sample));
    }

    @GetMapping("/{id}/verifications")
    public List<TaskViews.VerificationView> verifications(@PathVariable String id,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        return verifications.list(id, page, size).stream().map(TaskViews.VerificationView::of).toList();
    }

    @GetMapping("/{id}/verifications/{verificationId}")
    public TaskViews.VerificationView verification(@PathVariable String id, @PathVariable long verificationId) {
        return TaskViews.VerificationView.of(verifications.get(id, verificationId));
    }

    /** Sends every row the verification found missing, ghost or stale through the data path again (202). */
    @PostMapping("/{id}/verifications/{verificationId}/repair")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.ACCEPTED)
    public TaskViews.VerificationView repair(@PathVariable String id, @PathVariable long verificationId) {
        return TaskViews.VerificationView.of(verifications.repair(id, verificationId));
    }

    /**
     * A semantic search of the task's collection: the query embedded with the task's own model,
     * the nearest rows with their fields and scores (the console's playground).
     */
    @PostMapping(path = "/{id}/search", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> search(@PathVariable String id, @RequestBody String body) {
        com.datarsync.task.service.TaskSearch.Request request;
        try {
            request = JSON.readValue(body, com.datarsync.task.service.TaskSearch.Request.class);
        } catch (Exception e) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The body is not a search: give {query, "
                    + "vectorField, topK, groupByRow}", Map.of(), null);
        }
        return search.search(id, request);
    }

    @PostMapping("/{id}/full-sync")
    public TaskViews.TaskView fullSync(@PathVariable String id) {
        return view(catalog.fullSync(id, RunTrigger.MANUAL));
    }

    /**
     * Changes a task's rate limits while it runs (no restart): body {@code {"eventsPerSecond":
     * 200, "milvusEntitiesPerSecond": 500, "embeddingTextsPerSecond": {"openai": 50}}} (any of
     * them; what is left out has no limit), or {@code {}} to lift them all. Answers the task.
     */
    @PutMapping(path = "/{id}/limits", consumes = MediaType.APPLICATION_JSON_VALUE)
    public TaskViews.TaskView limits(@PathVariable String id, @RequestBody String body) {
        SyncTaskDefinition.Limits limits;
        try {
            limits = com.datarsync.common.event.EventJson.mapper().readValue(body, SyncTaskDefinition.Limits.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "limits: give a JSON object such as "
                    + "{\"eventsPerSecond\": 200}", Map.of("field", "limits"), null);
        }
        return view(catalog.changeLimits(id, limits));
    }

    /**
     * Reads tables of a running task again, chunk by chunk, beside its stream (a task whose
     * {@code source.snapshot.method} is INCREMENTAL). Body {@code {"tables": ["items"]}}, empty
     * for every table; answers 202 with the tables requested.
     */
    @PostMapping(path = "/{id}/resnapshot", consumes = MediaType.APPLICATION_JSON_VALUE)
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.ACCEPTED)
    public Map<String, Object> resnapshot(@PathVariable String id,
            @RequestBody(required = false) com.fasterxml.jackson.databind.JsonNode body) {
        List<String> tables = new ArrayList<>();
        if (body != null && body.has("tables")) {
            if (!body.get("tables").isArray()) {
                throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "tables: give a list of table names",
                        Map.of("field", "tables"), null);
            }
            body.get("tables").forEach(t -> tables.add(t.asText()));
        }
        return Map.of("taskId", id, "tables", catalog.resnapshot(id, tables));
    }

    /**
     * The tasks waiting to start, in the order they will: those queued for a snapshot slot
     * (priority, then age), then those waiting for their upstream tasks.
     */
    @GetMapping("/queue/snapshots")
    public List<TaskViews.QueueEntry> queue() {
        Set<String> visible = visibleTaskIds();
        return queries.queue().stream().filter(q -> visible == null || visible.contains(q.task().getId()))
                .map(q -> new TaskViews.QueueEntry(q.position(), q.task().getId(), q.task().getPriority(),
                        q.task().getQueuedAt(), q.task().getState(), q.task().getStateMessage()))
                .toList();
    }

    /** Runs and rows per task and day (UTC), for the dashboard. */
    @GetMapping("/statistics/daily")
    public List<TaskViews.DailyStatistics> daily(@RequestParam(defaultValue = "7") int days) {
        Set<String> visible = visibleTaskIds();
        return runs.dailyStatistics(Math.min(Math.max(days, 1), 366)).stream()
                .filter(r -> visible == null || visible.contains((String) r[0]))
                .map(r -> new TaskViews.DailyStatistics((String) r[0], String.valueOf(r[1]), ((Number) r[2]).longValue(),
                        r[3] == null ? 0 : ((Number) r[3]).longValue(), ((Number) r[4]).longValue()))
                .toList();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a definition the service wrote is not JSON", e);
        }
    }

    private static TaskRequest request(String body) {
        try {
            TaskRequest request = JSON.readValue(body, TaskRequest.class);
            if (request == null) {
                throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The body is not a task request: give a "
                        + "JSON object", Map.of(), null);
            }
            return request;
        } catch (DataRsyncException e) {
            throw e;
        } catch (UnrecognizedPropertyException e) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "Unknown field '" + e.getPropertyName()
                    + "'; known: name, description, owner, priority, schedule, dependsOn, definition",
                    Map.of("field", e.getPropertyName()), null);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            // Jackson's own text names Java types: only the field path goes back.
            String at = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("$");
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The body is not a task request: '" + at
                    + "' has the wrong type", Map.of("field", at), null);
        } catch (Exception e) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The body is not a task request: not valid JSON",
                    Map.of(), null);
        }
    }

    /** The ids of the tasks the caller may see; null when the caller sees every data source. */
    private Set<String> visibleTaskIds() {
        DataPermissions scope = DataPermissions.current();
        if (scope.all()) {
            return null;
        }
        return scope.dataSourceIds().isEmpty() ? Set.of() : Set.copyOf(tasks.findIdsByDataSourceIdIn(scope.dataSourceIds()));
    }

    static TaskViews.TaskView view(SyncTask t) {
        return new TaskViews.TaskView(t.getId(), t.getName(), t.getDescription(), t.getOwner(), t.getPriority(),
                t.getScheduleCron(), t.getDependsOn(), t.getDesiredState(), t.getGeneration(), t.getState(),
                t.getStateCode(), t.getStateMessage(), t.getStateSince(), t.getSnapshotCompletedAt(), t.getCreatedAt(),
                t.getUpdatedAt(), definition(t), TaskLifecycle.allowedActions(t));
    }

    /** The stored definition; it carries no credential (the source is a data source id). */
    private static com.fasterxml.jackson.databind.JsonNode definition(SyncTask t) {
        try {
            return JSON.readTree(t.getDefinitionJson());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
