package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cap on change events (limits.eventsPerSecond, a Sentinel flow rule in the listener) set on a
 * running task: a 5,000-row UPDATE under 200 events/s takes at least what the cap allows, the
 * status shows the limit holding meanwhile, raising the cap mid-way speeds the rest up at once
 * (no restart: the listener's counters run on), and Milvus ends equal to the source.
 */
class RateLimitIT extends RunningSuite {

    private static final int ROWS = 5_000;
    private static final int CAP = 200;

    @Test
    void aCapOnEventsDelaysAnUpdateAndRaisingItSpeedsItUpAtOnce() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "limit_" + runId();
        String table = "limit_rows";
        NumericRows.create(source, table, "", ROWS);
        String definition = NumericRows.definition(source, taskId, table, "");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect();
                Statement sql = db.createStatement()) {
            try {
                client.startTask(definition);
                await("the snapshot").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions().until(() -> client.count(taskId) == ROWS);

                setLimit(taskId, "{\"eventsPerSecond\": " + CAP + "}");
                await("the listener runs under the cap").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> listenerCounter(client, taskId, "eventsPerSecondLimit") == CAP);
                long updatesBefore = listenerCounter(client, taskId, "updates");

                long started = System.nanoTime();
                assertThat(sql.executeUpdate("UPDATE " + table + " SET a = a + 1000000")).isEqualTo(ROWS);
                Thread.sleep(8_000);
                long atEight = updated(client, taskId);
                double eightSeconds = (System.nanoTime() - started) / 1e9;
                long waited = listenerCounter(client, taskId, "limitWaitMs");
                System.out.printf("RATE LIMIT %d events/s: %d of %d rows updated in Milvus after %.1f s; the listener "
                        + "waited %d ms on the limit%n", CAP, atEight, ROWS, eightSeconds, waited);
                assertThat(waited).as("the status shows the limit holding").isPositive();
                assertThat(DataPathClient.metric("log-listener", "datarsync_limit_wait_ms_total", taskId))
                        .as("so does the metric").isPositive();
                assertThat(DataPathClient.metric("log-listener", "datarsync_limit_events_per_second", taskId))
                        .isEqualTo(CAP);
                // The first slice (a tenth of a second at the cap) passes at once, the rest at the cap.
                assertThat(atEight).as("rows through in %.1f s at %d/s", eightSeconds, CAP)
                        .isLessThanOrEqualTo((long) (eightSeconds * CAP) + CAP / 10 + CAP);

                setLimit(taskId, "{\"eventsPerSecond\": 100000}");
                long raised = System.nanoTime();
                await("every row after the raise").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> updated(client, taskId) == ROWS);
                double afterRaise = (System.nanoTime() - raised) / 1e9;
                double atOldCap = (double) (ROWS - atEight) / CAP;
                System.out.printf("RATE LIMIT raised: the other %d rows took %.1f s (%.1f s at the old cap); the whole "
                        + "update %.1f s%n", ROWS - atEight, afterRaise, atOldCap, (System.nanoTime() - started) / 1e9);
                assertThat(afterRaise).as("the rest after the raise, beside %.1f s at the old cap", atOldCap)
                        .isLessThan(atOldCap / 2);
                assertThat(listenerCounter(client, taskId, "updates") - updatesBefore)
                        .as("the same capture counted every update: the raise restarted nothing").isEqualTo(ROWS);

                Map<String, Long> expected = new HashMap<>();
                try (ResultSet rows = sql.executeQuery("SELECT id, a FROM " + table)) {
                    while (rows.next()) {
                        expected.put(rows.getString(1), rows.getLong(2));
                    }
                }
                Map<String, Long> actual = new HashMap<>();
                client.milvus.query(QueryReq.builder().collectionName(taskId).filter("").limit(16_384)
                        .outputFields(List.of("pk", "a")).consistencyLevel(ConsistencyLevel.STRONG).build())
                        .getQueryResults().forEach(r -> actual.put((String) r.getEntity().get("pk"),
                                ((Number) r.getEntity().get("a")).longValue()));
                assertThat(actual).isEqualTo(expected);
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    private static void setLimit(String taskId, String body) {
        HttpResponse<String> answer = SuiteProcesses.put(SuiteProcesses.gateway("/api/tasks/" + taskId + "/limits"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static long listenerCounter(DataPathClient client, String taskId, String name) {
        JsonNode counters = client.status("log-listener", taskId).path("counters");
        return counters.path(name).asLong();
    }

    /** Rows whose update Milvus holds now (Strong). */
    private static long updated(DataPathClient client, String collection) {
        return ((Number) client.milvus.query(QueryReq.builder().collectionName(collection).filter("a >= 1000000")
                .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().get(0).getEntity().get("count(*)")).longValue();
    }
}
