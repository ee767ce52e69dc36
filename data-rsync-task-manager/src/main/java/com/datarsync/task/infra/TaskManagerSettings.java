package com.datarsync.task.infra;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The supervisor's settings ({@code datarsync.tasks.*}).
 *
 * @param reconcileInterval   how often the leader reconciles every task
 * @param initialBackoff      the first pause before a failed stage is assigned again
 * @param maxBackoff          the longest pause between retries (the pause doubles up to it)
 * @param retryBudget         how long a task may stay RETRYING before it is FAILED
 * @param stableAfter         how long a task must run before its retry count starts again
 * @param stageConnectTimeout connecting to a stage instance
 * @param stageReadTimeout    waiting for a stage's answer (validation may load a model)
 */
@Validated
@ConfigurationProperties("datarsync.tasks")
public record TaskManagerSettings(
        @NotNull Duration reconcileInterval,
        @NotNull Duration initialBackoff,
        @NotNull Duration maxBackoff,
        @NotNull Duration retryBudget,
        Duration stableAfter,
        @NotNull Duration stageConnectTimeout,
        @NotNull Duration stageReadTimeout) {

    public TaskManagerSettings {
        stableAfter = stableAfter == null ? Duration.ofSeconds(30) : stableAfter;
    }
}
