package com.datarsync.task.infra;

import jakarta.validation.constraints.Min;
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
 * @param verificationReadTimeout waiting for a stage's part of a verification (every key of the tables)
 * @param verification        verifications: after each full sync or not, and the sample size
 * @param maxSnapshots        how many tasks may read a snapshot at once; the others queue by priority, then age
 * @param xxlJob              the embedded XXL-Job executor
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
        @NotNull Duration stageReadTimeout,
        Duration verificationReadTimeout,
        Verification verification,
        @Min(1) int maxSnapshots,
        @NotNull XxlJob xxlJob) {

    public TaskManagerSettings {
        stableAfter = stableAfter == null ? Duration.ofSeconds(30) : stableAfter;
        verificationReadTimeout = verificationReadTimeout == null ? Duration.ofMinutes(30) : verificationReadTimeout;
        verification = verification == null ? new Verification(true, 100) : verification;
    }

    /**
     * @param afterFullSync verify each time a snapshot (first sync or full sync) has completed and its
     *                      rows have reached Milvus
     * @param sample        rows compared field by field and vector by vector, when a request names no other number
     */
    public record Verification(boolean afterFullSync, @Min(0) int sample) {
    }

    /**
     * The embedded XXL-Job executor.
     *
     * @param adminAddresses comma-separated XXL-Job admin URLs; empty: no admin, the built-in
     *                       scheduler fires the tasks' cron schedules instead
     * @param accessToken    the token the admin and the executor share ({@code XXL-JOB-ACCESS-TOKEN})
     * @param port           the executor's own HTTP port; 0: the service port + 1000
     * @param logPath        where the executor keeps each job run's log
     */
    public record XxlJob(String adminAddresses, String accessToken, int port, String logPath) {

        public boolean adminConfigured() {
            return adminAddresses != null && !adminAddresses.isBlank();
        }
    }
}
