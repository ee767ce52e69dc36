package com.datarsync.task.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.FieldViolation;
import com.datarsync.common.task.InvalidTaskDefinitionException;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.common.web.DataPermissions;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.infra.DataSourceDirectory;
import com.datarsync.task.infra.SyncTaskRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Turns a task request into what the task manager stores: the definition parsed and resolved
 * against its registered data source (the caller must hold it), and the task's description,
 * schedule and dependencies checked. Every problem is answered at once, per field (400).
 */
@Component
public class TaskIntake {

    private final SyncTaskRepository tasks;
    private final DataSourceDirectory dataSources;

    public TaskIntake(SyncTaskRepository tasks, DataSourceDirectory dataSources) {
        this.tasks = tasks;
        this.dataSources = dataSources;
    }

    /** Checks and sets the task's name, description, owner, priority, schedule and dependencies. */
    void describe(SyncTask task, TaskRequest request, String defaultName) {
        String name = request.name() != null ? request.name() : (task.getName() != null ? task.getName() : defaultName);
        List<FieldViolation> violations = new ArrayList<>();
        if (name.isBlank() || name.length() > 128) {
            violations.add(new FieldViolation("name", "give 1-128 characters"));
        }
        if (request.description() != null && request.description().length() > 1024) {
            violations.add(new FieldViolation("description", "at most 1024 characters"));
        }
        String schedule = request.schedule() != null ? blankToNull(request.schedule()) : task.getScheduleCron();
        if (schedule != null && !CronExpression.isValidExpression(schedule)) {
            violations.add(new FieldViolation("schedule", "not a cron expression (six fields, seconds first): "
                    + schedule));
        } else if (schedule != null && task.mode() == SyncTaskDefinition.Mode.INCREMENTAL) {
            violations.add(new FieldViolation("schedule", "a schedule runs full syncs; an INCREMENTAL task has none"));
        }
        List<String> dependsOn = request.dependsOn() != null ? request.dependsOn() : task.getDependsOn();
        for (String upstream : dependsOn) {
            if (upstream.equals(task.getId())) {
                violations.add(new FieldViolation("dependsOn", "a task cannot depend on itself"));
            } else if (!tasks.existsById(upstream)) {
                violations.add(new FieldViolation("dependsOn", "no task '" + upstream + "'"));
            }
        }
        if (violations.isEmpty()) {
            String cycle = cycleThrough(task.getId(), dependsOn);
            if (cycle != null) {
                violations.add(new FieldViolation("dependsOn", "the dependencies would form a cycle: " + cycle));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidTaskDefinitionException(violations);
        }
        task.describe(name, request.description() != null ? request.description() : task.getDescription(),
                request.owner() != null ? request.owner() : task.getOwner(),
                request.priority() != null ? request.priority() : task.getPriority(), schedule, dependsOn);
    }

    /** A path upstream from {@code id} back to itself, if its new dependencies close one; null when none. */
    private String cycleThrough(String id, List<String> dependsOn) {
        Deque<List<String>> paths = new ArrayDeque<>();
        dependsOn.forEach(d -> paths.push(List.of(id, d)));
        Set<String> seen = new HashSet<>();
        while (!paths.isEmpty()) {
            List<String> path = paths.pop();
            String last = path.get(path.size() - 1);
            if (last.equals(id)) {
                return String.join(" -> ", path);
            }
            if (!seen.add(last)) {
                continue;
            }
            tasks.findById(last).ifPresent(t -> t.getDependsOn().forEach(next -> {
                List<String> longer = new ArrayList<>(path);
                longer.add(next);
                paths.push(longer);
            }));
        }
        return null;
    }

    /**
     * The request's definition, its source resolved: the caller must hold the data source it
     * names, and kind and database are copied from the registry (given, they must match it).
     * Every problem found is answered at once, under {@code definition.}.
     */
    SyncTaskDefinition definitionOf(TaskRequest request) {
        if (request.definition() == null || !request.definition().isObject()) {
            throw invalid("definition", "give the task definition as a JSON object");
        }
        ObjectNode definition = request.definition().deepCopy();
        List<FieldViolation> violations = new ArrayList<>();
        if (definition.get("source") instanceof ObjectNode source && source.path("dataSourceId").canConvertToLong()
                && source.path("dataSourceId").asLong() > 0) {
            resolveSource(source, violations);
        }
        try {
            SyncTaskDefinition parsed = SyncTaskDefinitions.parse(definition.toString());
            if (violations.isEmpty()) {
                return parsed;
            }
        } catch (InvalidTaskDefinitionException e) {
            violations.addAll(e.violations());
        }
        // In this API the definition sits under "definition": say so in every path.
        throw new InvalidTaskDefinitionException(violations.stream()
                .map(v -> new FieldViolation("definition." + v.field(), v.reason())).toList());
    }

    private void resolveSource(ObjectNode source, List<FieldViolation> violations) {
        long id = source.get("dataSourceId").asLong();
        DataPermissions.current().require(id);
        DataSourceDirectory.Descriptor registered;
        try {
            registered = dataSources.describe(id);
        } catch (DataRsyncException e) {
            if (e.errorCode() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            violations.add(new FieldViolation("source.dataSourceId", "there is no data source " + id));
            return;
        }
        copy(source, "kind", registered.kind(), registered, violations);
        copy(source, "database", registered.database(), registered, violations);
    }

    /**
     * Sets the field to the registry's value; a different value given is a violation (reported
     * once: the validator then sees the registry's value).
     */
    private static void copy(ObjectNode source, String field, String value, DataSourceDirectory.Descriptor registered,
            List<FieldViolation> violations) {
        JsonNode given = source.get(field);
        if (given != null && !given.isNull() && !given.asText().equals(value)) {
            violations.add(new FieldViolation("source." + field, "data source " + registered.id() + " ("
                    + registered.name() + ") is " + field + " '" + value + "', not '" + given.asText() + "'"));
        }
        source.put(field, value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static InvalidTaskDefinitionException invalid(String field, String reason) {
        return new InvalidTaskDefinitionException(List.of(new FieldViolation(field, reason)));
    }
}
