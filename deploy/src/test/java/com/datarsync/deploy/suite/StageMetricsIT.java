package com.datarsync.deploy.suite;

import static com.datarsync.deploy.suite.DataPathClient.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every data-path stage exports a task's meters (docs/monitoring.md), read here from each
 * service's /actuator/prometheus: counts by operation equal to what the test did at the source,
 * a dead letter by stage and code, the state, and nothing left once the task is deleted. The lag
 * is compared with the lag the test measures itself between its commits and Milvus.
 */
class StageMetricsIT extends RunningSuite {

    private static final List<String> STAGES = List.of("log-listener", "data-process", "milvus-sync");

    @Test
    void everyStageCountsTheTasksEventsByOperationAndForgetsTheTaskOnceDeleted() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "meters_" + runId();
        source.create("meter_docs",
                "CREATE TABLE meter_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT) CHARACTER SET utf8mb4",
                "INSERT INTO meter_docs VALUES (1, 'one', 'a'), (2, 'two', 'b'), (3, 'three', 'c'), (4, 'four', 'd'),"
                        + " (5, 'five', 'e')");
        // A title over 16 bytes does not fit the target field: data-process dead-letters it.
        String definition = source.definitionWithShortTitle(taskId, "meter_docs", 16);
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect();
             Statement sql = db.createStatement()) {
            try {
                client.startTask(definition);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 5);
                // 4 inserts (one of them too long), 3 updates, 2 deletes, each its own statement.
                for (int id = 6; id <= 8; id++) {
                    sql.execute("INSERT INTO meter_docs VALUES (" + id + ", 'new " + id + "', 'x')");
                }
                // Prometheus has scraped data-process' dead-letter counter at 0 before the first dead letter.
                String deadLetters = "datarsync_stage_dead_letters_total{task=\"" + taskId + "\",stage=\"data-process\","
                        + "code=\"DRS-4220\"}";
                await("the dead-letter counter at 0 in Prometheus").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(DashboardQueriesIT.query(
                                deadLetters).path(0).path("value").path(1).asText()).isEqualTo("0"));
                sql.execute("INSERT INTO meter_docs VALUES (9, 'a title far longer than sixteen bytes', 'y')");
                for (int id = 1; id <= 3; id++) {
                    sql.execute("UPDATE meter_docs SET body = 'changed' WHERE id = " + id);
                }
                sql.execute("DELETE FROM meter_docs WHERE id = 4");
                sql.execute("DELETE FROM meter_docs WHERE id = 5");
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.entities(taskId,
                        List.of("title")).keySet().equals(java.util.Set.of("1", "2", "3", "6", "7", "8")));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(metric("milvus-sync",
                        "datarsync_stage_events_total", taskId, "direction", "in", "op", "delete")).isEqualTo(2.0));

                Map<String, Double> expectedAtSource = Map.of("snapshot", 5.0, "insert", 4.0, "update", 3.0,
                        "delete", 2.0);
                expectedAtSource.forEach((op, count) -> {
                    for (String direction : List.of("in", "out")) {
                        assertThat(metric("log-listener", "datarsync_stage_events_total", taskId, "direction", direction,
                                "op", op)).as("log-listener %s %s", direction, op).isEqualTo(count);
                    }
                    assertThat(metric("data-process", "datarsync_stage_events_total", taskId, "direction", "in", "op",
                            op)).as("data-process in %s", op).isEqualTo(count);
                });
                // Snapshot reads, inserts and updates become upserts; the long title became a dead letter.
                assertThat(metric("data-process", "datarsync_stage_events_total", taskId, "direction", "out", "op",
                        "upsert")).isEqualTo(5 + 3 + 3);
                assertThat(metric("milvus-sync", "datarsync_stage_events_total", taskId, "direction", "in", "op",
                        "upsert")).isEqualTo(5 + 3 + 3);
                assertThat(metric("data-process", "datarsync_stage_dead_letters_total", taskId, "code", "DRS-4220"))
                        .isEqualTo(1.0);
                assertThat(metric("log-listener", "datarsync_stage_dead_letters_total", taskId)).isZero();
                // The counter was there at 0 before that dead letter, so Prometheus' increase() (what
                // the dead-letter alert asks) sees the first one too.
                await("increase() of the first dead letter in Prometheus").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(DashboardQueriesIT.query(
                                "sum(increase(" + deadLetters + "[5m]))").path(0).path("value").path(1).asDouble())
                                .isGreaterThan(0.5));
                // Written to Milvus: at most what came in (a batch collapses a key's records), at least one of each.
                assertThat(metric("milvus-sync", "datarsync_stage_events_total", taskId, "direction", "out", "op",
                        "upsert")).isBetween(1.0, 11.0);
                assertThat(metric("milvus-sync", "datarsync_milvus_write_duration_seconds_count", taskId,
                        "operation", "upsert", "outcome", "success")).isGreaterThanOrEqualTo(1.0);
                assertThat(metric("milvus-sync", "datarsync_milvus_write_duration_seconds_count", taskId,
                        "outcome", "failure")).isZero();
                assertThat(metric("log-listener", "datarsync_snapshot_rows_total", taskId)).isEqualTo(5.0);
                for (String stage : STAGES) {
                    assertThat(metric(stage, "datarsync_stage_state", taskId, "state", "RUNNING")).as(stage)
                            .isEqualTo(1.0);
                    assertThat(metric(stage, "datarsync_stage_state", taskId)).as(stage).isEqualTo(1.0);
                    assertThat(metric(stage, "datarsync_stage_batch_size_count", taskId)).as(stage)
                            .isGreaterThanOrEqualTo(1.0);
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(metric("task-manager",
                        "datarsync_task_state", taskId, "state", "RUNNING")).isEqualTo(1.0));
            } finally {
                client.deleteTask(taskId, true);
            }
            for (String service : List.of("log-listener", "data-process", "milvus-sync", "task-manager")) {
                assertThat(DataPathClient.metricLines(service, taskId).toList()).as(service).isEmpty();
            }
        }
    }

    /**
     * Lag while idle for {@code DATARSYNC_LAG_IDLE_SECONDS} (30 s by default, 120 in {@code datarsync bench}:
     * several heartbeat and scrape intervals either way), then through a
     * burst of rows: idle, every stage's lag and the task's stays within 5 s of the true lag,
     * which is 0 (Milvus equals the source); in the burst milvus-sync's lag rises at least to the
     * true lag of the last row (its commit to its arrival in Milvus, measured here) and at most to
     * that of the first, then returns under 5 s; no reading is ever negative.
     */
    @Test
    void lagStaysTrueWhileTheSourceIsIdleRisesInABurstAndReturns() throws Exception {
        int idleSeconds = SuiteSize.setting("DATARSYNC_LAG_IDLE_SECONDS", 30, 120);
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "lag_" + runId();
        source.create("lag_docs",
                "CREATE TABLE lag_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT) CHARACTER SET utf8mb4",
                "INSERT INTO lag_docs VALUES (1, 'one', 'a'), (2, 'two', 'b'), (3, 'three', 'c')");
        String definition = source.definitionFor(taskId, "lag_docs", List.of("title", "content"));
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect();
             Statement sql = db.createStatement()) {
            try {
                client.startTask(definition);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 3);
                // The snapshot's own lag drains first: every stage under 5 s once heartbeats flow.
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    for (String stage : STAGES) {
                        assertThat(lag(stage, taskId)).as(stage).isBetween(0.0, 5_000.0);
                    }
                });

                List<Double> idle = new ArrayList<>();
                long idleEnds = System.currentTimeMillis() + idleSeconds * 1000L;
                while (System.currentTimeMillis() < idleEnds) {
                    for (String stage : STAGES) {
                        idle.add(lag(stage, taskId));
                    }
                    idle.add(client.taskStatus(taskId).path("lagMs").asDouble(-1));
                    Thread.sleep(2_000);
                }
                System.out.printf("LAG idle %d s: %d readings, max %.0f ms, min %.0f ms%n", idleSeconds, idle.size(),
                        idle.stream().mapToDouble(Double::doubleValue).max().orElse(-1),
                        idle.stream().mapToDouble(Double::doubleValue).min().orElse(-1));
                assertThat(idle).as("idle lag readings (ms), the true lag being 0").allSatisfy(
                        lag -> assertThat(lag).isBetween(0.0, 5_000.0));

                int rows = 1_500;
                long burstStarted = System.currentTimeMillis();
                for (int batch = 0; batch < rows / 150; batch++) {
                    StringBuilder insert = new StringBuilder("INSERT INTO lag_docs VALUES ");
                    for (int i = 0; i < 150; i++) {
                        int id = 100 + batch * 150 + i;
                        insert.append(i == 0 ? "" : ",").append("(").append(id).append(", 'burst ").append(id)
                                .append(' ').append(taskId).append("', 'row ").append(id).append("')");
                    }
                    sql.execute(insert.toString());
                }
                long burstCommitted = System.currentTimeMillis();
                List<Double> burst = new ArrayList<>();
                long arrived;
                while (true) {
                    burst.add(lag("milvus-sync", taskId));
                    if (client.count(taskId) == 3 + rows) {
                        arrived = System.currentTimeMillis();
                        break;
                    }
                    assertThat(System.currentTimeMillis() - burstCommitted).as("the burst reaches Milvus")
                            .isLessThan(300_000);
                    Thread.sleep(500);
                }
                double peak = burst.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                long lastRowLag = arrived - burstCommitted;
                long firstRowLag = arrived - burstStarted;
                System.out.printf("LAG burst of %d rows: true lag of the last row %d ms, of the first %d ms; "
                        + "milvus-sync read %.0f ms at most (%d readings)%n", rows, lastRowLag, firstRowLag, peak,
                        burst.size());
                // Sampled every 500 ms and MariaDB's commit times are whole seconds: 2 s either way.
                assertThat(peak).isBetween(lastRowLag - 2_000.0, firstRowLag + 2_000.0);
                assertThat(burst).allSatisfy(lag -> assertThat(lag).isGreaterThanOrEqualTo(0.0));
                await("the lag returns").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (String stage : STAGES) {
                        assertThat(lag(stage, taskId)).as(stage).isBetween(0.0, 5_000.0);
                    }
                });
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    /** The stage's lag gauge for the task, which must be there (an absent one is no lag of 0). */
    private static double lag(String stage, String taskId) {
        List<String> series = DataPathClient.metricLines(stage, taskId)
                .filter(l -> l.startsWith("datarsync_stage_lag_milliseconds{")).toList();
        assertThat(series).as("%s exports the task's lag", stage).hasSize(1);
        return Double.parseDouble(series.get(0).substring(series.get(0).lastIndexOf(' ') + 1));
    }
}
