package com.datarsync.common.stage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the task manager sends a stage to run a task ({@code PUT /internal/stage/tasks/{id}}): the
 * generation to run and the task's definition as stored. A stage refuses an older generation
 * than it runs, runs the same one once, and adopts or restarts for a newer one.
 *
 * @param generation >= 0; required (a missing one is refused, not read as 0)
 * @param definition the sync task definition (validated again by the stage)
 */
public record Assignment(Long generation, JsonNode definition) {
}
