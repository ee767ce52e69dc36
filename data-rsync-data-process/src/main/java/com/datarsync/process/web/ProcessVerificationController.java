package com.datarsync.process.web;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.EventJson;
import com.datarsync.stage.VerificationRequests;
import com.datarsync.process.service.DataProcessStage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The processor's part in a verification and in a semantic search, for the task manager only
 * ({@code /internal}, which the gateway does not route): {@code {definition, rows: {rowKey: change
 * event}}} in, what the task would write for each row out; a query text in, its vector out.
 */
@RestController
@RequestMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
public class ProcessVerificationController {

    private final DataProcessStage stage;

    public ProcessVerificationController(DataProcessStage stage) {
        this.stage = stage;
    }

    /** A search query's vector by the task's model: {@code {definition, vectorField, text}} in, {@code {vector}} out. */
    @PostMapping(path = "/internal/search/embed")
    public Map<String, Object> embedQuery(@RequestBody JsonNode body) {
        return Map.of("vector", stage.embedQuery(VerificationRequests.definition(body), body.path("vectorField").asText(),
                body.path("text").asText()));
    }

    @PostMapping("/internal/verification/process/preview")
    public Map<String, Object> preview(@RequestBody JsonNode body) {
        Map<String, ChangeEvent> rows = new LinkedHashMap<>();
        body.path("rows").fields().forEachRemaining(e -> rows.put(e.getKey(),
                EventJson.mapper().convertValue(e.getValue(), ChangeEvent.class)));
        return stage.preview(VerificationRequests.definition(body), rows);
    }
}
