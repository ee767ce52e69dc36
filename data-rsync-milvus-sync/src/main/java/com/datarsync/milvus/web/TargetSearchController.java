package com.datarsync.milvus.web;

import com.datarsync.stage.VerificationRequests;
import com.datarsync.milvus.service.TargetSearch;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Milvus' side of a semantic search, for the task manager only ({@code /internal}, which the
 * gateway does not route): {@code {definition, vectorField, vector, topK, groupByRow}} in, the
 * nearest rows out.
 */
@RestController
public class TargetSearchController {

    private final TargetSearch search;

    public TargetSearchController(TargetSearch search) {
        this.search = search;
    }

    @PostMapping(path = "/internal/search/target", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, List<TargetSearch.Found>> search(@RequestBody JsonNode body) {
        JsonNode vector = body.path("vector");
        float[] values = new float[vector.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) vector.get(i).asDouble();
        }
        return Map.of("hits", search.search(VerificationRequests.definition(body), body.path("vectorField").asText(),
                values, body.path("topK").asInt(10), body.path("groupByRow").asBoolean(true)));
    }
}
