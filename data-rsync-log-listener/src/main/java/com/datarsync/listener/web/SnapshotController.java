package com.datarsync.listener.web;

import com.datarsync.listener.service.LogListenerStage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Re-reads tables of a running task beside its stream (an incremental snapshot), for the task
 * manager only ({@code /internal}, which the gateway does not route). Body: {@code {"tables":
 * ["items", "shop.orders"]}}, empty or absent for every captured table.
 */
@RestController
public class SnapshotController {

    private final LogListenerStage stage;

    public SnapshotController(LogListenerStage stage) {
        this.stage = stage;
    }

    @PostMapping(path = "/internal/tasks/{id}/resnapshot", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, List<String>> resnapshot(@PathVariable String id, @RequestBody JsonNode body) {
        List<String> tables = new ArrayList<>();
        body.path("tables").forEach(t -> tables.add(t.asText()));
        return Map.of("tables", stage.resnapshot(id, tables));
    }
}
