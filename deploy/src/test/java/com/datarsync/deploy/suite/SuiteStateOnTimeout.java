package com.datarsync.deploy.suite;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.core.ConditionEvaluationListener;
import org.awaitility.core.EvaluatedCondition;
import org.awaitility.core.TimeoutEvent;

/**
 * Every wait of the suite tests that gives up prints where the suite's tasks stood then (each
 * task's state, reason, snapshot and stage copies, {@link DataPathClient#describe}), so a time-out
 * in CI says whether a task was queued, retrying or running with a stage that read nothing, not
 * only that a condition was not met. Set as Awaitility's default listener by {@link RunningSuite}.
 */
final class SuiteStateOnTimeout implements ConditionEvaluationListener<Object> {

    @Override
    public void conditionEvaluated(EvaluatedCondition<Object> condition) {
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        StringBuilder state = new StringBuilder("==> waited in vain: ").append(event.getDescription());
        try {
            JsonNode page = RunningSuite.JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks?size=200"))
                    .body());
            for (JsonNode task : page.path("items")) {
                state.append("\n    ").append(DataPathClient.describe(task.path("id").asText()));
            }
            if (page.path("items").isEmpty()) {
                state.append("\n    no task in the task manager");
            }
        } catch (Exception e) {
            state.append("\n    the task manager did not list its tasks: ").append(e);
        }
        System.out.println(state);
    }
}
