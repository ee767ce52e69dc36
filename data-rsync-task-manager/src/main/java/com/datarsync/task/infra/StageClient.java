package com.datarsync.task.infra;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.stage.TaskStageController;
import com.datarsync.common.stage.Assignment;
import com.datarsync.common.stage.TaskStatus;
import com.datarsync.common.web.InternalCalls;
import com.datarsync.task.domain.Stage;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * The task manager's side of the stage protocol ({@link TaskStageController}): finds each
 * stage's instances in the registry and calls their worker endpoints. A stage's refusal comes
 * back as the {@link DataRsyncException} it answered with (same code, same message); an instance
 * that does not answer is {@link ErrorCode#SERVICE_UNAVAILABLE}.
 */
@Component
public class StageClient {

    private final DiscoveryClient discovery;
    private final RestClient http;
    /** For a verification's calls: reading every key of a large table takes minutes. */
    private final RestClient patientHttp;

    public StageClient(DiscoveryClient discovery, TaskManagerSettings settings,
                       @org.springframework.beans.factory.annotation.Value("${"
                               + com.datarsync.common.security.InternalCredential.PROPERTY + ":}") String internalToken) {
        this.discovery = discovery;
        // The stages' worker routes (/internal/**) take only the suite's internal credential.
        this.http = InternalCalls.builder(internalToken, settings.stageConnectTimeout(), settings.stageReadTimeout())
                .build();
        this.patientHttp = InternalCalls.builder(internalToken, settings.stageConnectTimeout(),
                settings.verificationReadTimeout()).build();
    }

    /** One running instance of a stage, as the registry lists it. */
    public record Instance(Stage stage, URI uri) {
    }

    /** What one instance holds: every task status it reports. */
    public record Holdings(Instance instance, List<TaskStatus> statuses) {
    }

    /** The registered instances of a stage, in a stable order. */
    public List<Instance> instances(Stage stage) {
        return discovery.getInstances(stage.serviceId()).stream()
                .sorted(Comparator.comparing(ServiceInstance::getUri))
                .map(i -> new Instance(stage, i.getUri())).toList();
    }

    /**
     * Every task each instance of every stage holds. An instance that does not answer is left
     * out of the map's list for its stage and counted in {@code unreachable}.
     */
    public Map<Stage, List<Holdings>> holdings(Map<Stage, Integer> unreachable) {
        Map<Stage, List<Holdings>> out = new HashMap<>();
        for (Stage stage : Stage.values()) {
            List<Holdings> answered = new ArrayList<>();
            List<Instance> instances = instances(stage);
            int missing = instances.isEmpty() ? 1 : 0;
            for (Instance instance : instances) {
                try {
                    answered.add(new Holdings(instance, tasksOf(instance)));
                } catch (DataRsyncException e) {
                    missing++;
                }
            }
            if (missing > 0) {
                unreachable.put(stage, missing);
            }
            out.put(stage, answered);
        }
        return out;
    }

    /** Every task status the instance reports; DataRsyncException when it does not answer. */
    private List<TaskStatus> tasksOf(Instance instance) {
        TaskStatus[] statuses = call(instance, "list the tasks", () -> http.get()
                .uri(instance.uri().resolve(TaskStageController.PATH + "/tasks")).retrieve()
                .body(TaskStatus[].class));
        return statuses == null ? List.of() : Arrays.asList(statuses);
    }

    /** Validates a definition in one instance of the stage, creating nothing; throws its refusal. */
    public void validate(Stage stage, String definitionJson) {
        Instance instance = anyInstance(stage);
        call(instance, "validate the task", () -> http.post()
                .uri(instance.uri().resolve(TaskStageController.PATH + "/validate"))
                .contentType(MediaType.APPLICATION_JSON).body(definitionJson).retrieve().toBodilessEntity());
    }

    public TaskStatus assign(Instance instance, String taskId, long generation, String definitionJson) {
        Assignment assignment = new Assignment(generation, definitionTree(definitionJson));
        return call(instance, "take the task", () -> http.put()
                .uri(instance.uri().resolve(TaskStageController.PATH + "/tasks/" + taskId))
                .contentType(MediaType.APPLICATION_JSON).body(assignment).retrieve().body(TaskStatus.class));
    }

    private static JsonNode definitionTree(String definitionJson) {
        try {
            return com.datarsync.common.event.EventJson.mapper().readTree(definitionJson);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored definition is not JSON", e);
        }
    }

    /** Releases the task in the instance; a task it does not hold is no error. */
    public void release(Instance instance, String taskId) {
        try {
            call(instance, "release the task", () -> http.delete()
                    .uri(instance.uri().resolve(TaskStageController.PATH + "/tasks/" + taskId))
                    .retrieve().toBodilessEntity());
        } catch (DataRsyncException e) {
            if (e.errorCode() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** Lets one instance of the stage remove what it created for a deleted task; returns what it removed. */
    public List<String> cleanUp(Stage stage, String definitionJson, boolean dropTarget) {
        Instance instance = anyInstance(stage);
        JsonNode answer = call(instance, "clean up after the task", () -> http.post()
                .uri(instance.uri().resolve(TaskStageController.PATH + "/cleanup?dropTarget=" + dropTarget))
                .contentType(MediaType.APPLICATION_JSON).body(definitionJson).retrieve().body(JsonNode.class));
        List<String> removed = new ArrayList<>();
        if (answer != null) {
            answer.path("removed").forEach(r -> removed.add(stage.label() + ": " + r.asText()));
        }
        return removed;
    }

    /** What one instance of the stage counts of the task (source rows, collection entities). */
    public Map<String, Long> measure(Stage stage, String definitionJson) {
        Instance instance = anyInstance(stage);
        JsonNode answer = call(instance, "count for the task", () -> http.post()
                .uri(instance.uri().resolve(TaskStageController.PATH + "/measure"))
                .contentType(MediaType.APPLICATION_JSON).body(definitionJson).retrieve().body(JsonNode.class));
        Map<String, Long> out = new HashMap<>();
        if (answer != null) {
            answer.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        }
        return out;
    }

    /**
     * Posts a JSON body to one of the stage's own endpoints (a verification's) and returns its
     * answer; waits as long as a verification may take.
     */
    public JsonNode post(Stage stage, String path, String jsonBody) {
        Instance instance = anyInstance(stage);
        return call(instance, "answer " + path, () -> patientHttp.post().uri(instance.uri().resolve(path))
                .contentType(MediaType.APPLICATION_JSON).body(jsonBody).retrieve().body(JsonNode.class));
    }

    /**
     * Posts a JSON body to the instance of the stage that runs the task (for a stage whose
     * instances do not share a task: the log-listener); CONFLICT when none runs it.
     */
    public JsonNode postToHolder(Stage stage, String taskId, String path, String jsonBody) {
        for (Instance instance : instances(stage)) {
            List<TaskStatus> statuses;
            try {
                statuses = tasksOf(instance);
            } catch (DataRsyncException unreachable) {
                continue;
            }
            if (statuses.stream().anyMatch(s -> s.taskId().equals(taskId)
                    && s.state() == com.datarsync.common.stage.TaskState.RUNNING)) {
                return call(instance, "answer " + path, () -> http.post().uri(instance.uri().resolve(path))
                        .contentType(MediaType.APPLICATION_JSON).body(jsonBody).retrieve().body(JsonNode.class));
            }
        }
        throw new DataRsyncException(ErrorCode.CONFLICT, "No " + stage.label() + " runs task '" + taskId
                + "' now: start it (or wait until it is RUNNING) first", Map.of("taskId", taskId), null);
    }

    private Instance anyInstance(Stage stage) {
        List<Instance> instances = instances(stage);
        if (instances.isEmpty()) {
            throw new DataRsyncException(ErrorCode.SERVICE_UNAVAILABLE, stage.label() + " has no running instance",
                    Map.of("stage", stage.label()), null);
        }
        return instances.get(0);
    }

    private static <T> T call(Instance instance, String what, InternalCalls.Call<T> call) {
        return InternalCalls.call(instance.stage().label() + " at " + instance.uri(),
                Map.of("stage", instance.stage().label()), what, call);
    }
}
