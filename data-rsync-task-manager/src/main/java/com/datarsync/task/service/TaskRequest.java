package com.datarsync.task.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The body of a create or update: the task's description around its definition (the JSON
 * document every stage reads; its {@code id} is the task's id).
 *
 * @param schedule  a cron expression (seconds first, as XXL-Job and Spring write it), or null
 * @param dependsOn ids of tasks whose snapshot must have completed before this one starts
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record TaskRequest(
        String name,
        String description,
        String owner,
        Integer priority,
        String schedule,
        List<String> dependsOn,
        JsonNode definition) {
}
