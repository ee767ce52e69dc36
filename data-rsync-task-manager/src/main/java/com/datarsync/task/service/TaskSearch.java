package com.datarsync.task.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.infra.StageClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * A semantic search of a task's collection (the console's playground): data-process embeds the
 * query with the model of the task's vector field, then milvus-sync finds the nearest entities,
 * grouped by row in a chunked collection when asked. Both are asked with the task's definition
 * as saved, so the query meets the rows in the same vector space.
 */
@Service
public class TaskSearch {

    public static final int MAX_TOP_K = 100;
    public static final int MAX_QUERY_LENGTH = 8_192;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskCatalog catalog;
    private final StageClient stages;

    public TaskSearch(TaskCatalog catalog, StageClient stages) {
        this.catalog = catalog;
        this.stages = stages;
    }

    public record Request(String query, String vectorField, Integer topK, Boolean groupByRow) {
    }

    public Map<String, Object> search(String taskId, Request request) {
        String definitionJson = catalog.get(taskId).getDefinitionJson();
        SyncTaskDefinition definition = SyncTaskDefinitions.parse(definitionJson);
        if (request == null || request.query() == null || request.query().isBlank()) {
            throw invalid("query", "type what to search for");
        }
        if (request.query().length() > MAX_QUERY_LENGTH) {
            throw invalid("query", "at most " + MAX_QUERY_LENGTH + " characters");
        }
        int topK = request.topK() == null ? 10 : request.topK();
        if (topK < 1 || topK > MAX_TOP_K) {
            throw invalid("topK", "from 1 to " + MAX_TOP_K);
        }
        SyncTaskDefinition.VectorField field = definition.target().vectors().stream()
                .filter(v -> request.vectorField() == null || v.name().equals(request.vectorField())).findFirst()
                .orElseThrow(() -> invalid("vectorField", "the task's vector fields are "
                        + definition.target().vectors().stream().map(SyncTaskDefinition.VectorField::name).toList()));
        boolean grouped = request.groupByRow() == null || request.groupByRow();

        ObjectNode body = JSON.createObjectNode();
        body.set("definition", read(definitionJson));
        body.put("vectorField", field.name()).put("text", request.query());
        long started = System.nanoTime();
        JsonNode vector = stages.post(Stage.DATA_PROCESS, "/internal/search/embed", body.toString()).path("vector");
        long embedded = System.nanoTime();
        body.remove("text");
        body.set("vector", vector);
        body.put("topK", topK).put("groupByRow", grouped);
        JsonNode hits = stages.post(Stage.MILVUS_SYNC, "/internal/search/target", body.toString()).path("hits");
        long searched = System.nanoTime();
        return Map.of("taskId", taskId, "collection", definition.target().collection(), "vectorField", field.name(),
                "metric", field.metric() == null ? "COSINE" : field.metric().name(),
                "model", field.embedding().provider() + ":" + field.embedding().model(),
                "groupedByRow", grouped && definition.target().chunked(),
                "embedMs", (embedded - started) / 1_000_000, "searchMs", (searched - embedded) / 1_000_000, "hits", hits);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a saved definition is not JSON", e);
        }
    }

    private static DataRsyncException invalid(String field, String reason) {
        return new DataRsyncException(ErrorCode.VALIDATION_FAILED, "Invalid search: " + field + ": " + reason,
                Map.of("fields", Map.of(field, reason)), null);
    }
}
