package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
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
 * The per-task rate limits (Sentinel flow rules), each set or raised on a running task:
 * <ul>
 *   <li>change events at the listener: a 5,000-row UPDATE under 200 events/s takes at least what
 *       the cap allows, the status shows the limit holding meanwhile, raising the cap mid-way
 *       speeds the rest up at once (no restart: the listener's counters run on);</li>
 *   <li>entities written to Milvus: the same for milvus-sync, counted in Milvus itself;</li>
 *   <li>texts sent to a remote embedding provider: counted where they arrive, at an
 *       OpenAI-compatible server on loopback.</li>
 * </ul>
 * Each ends with Milvus equal to the source.
 */
class RateLimitIT extends RunningSuite {

    private static final int ROWS = 5_000;
    private static final int CAP = 200;
    private static final int SECOND_MILVUS_SYNC_PORT = 18195;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

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
                        .until(() -> counter(client, "log-listener", taskId, "limit.eventsPerSecond") == CAP);
                long updatesBefore = counter(client, "log-listener", taskId, "updates");

                long started = System.nanoTime();
                assertThat(sql.executeUpdate("UPDATE " + table + " SET a = a + 1000000")).isEqualTo(ROWS);
                Thread.sleep(8_000);
                long atEight = updated(client, taskId);
                double eightSeconds = (System.nanoTime() - started) / 1e9;
                long waited = counter(client, "log-listener", taskId, "limitWaitMs");
                System.out.printf("RATE LIMIT %d events/s: %d of %d rows updated in Milvus after %.1f s; the listener "
                        + "waited %d ms on the limit%n", CAP, atEight, ROWS, eightSeconds, waited);
                assertThat(waited).as("the status shows the limit holding").isPositive();
                assertHolding("log-listener", taskId, "eventsPerSecond", CAP, atEight, eightSeconds);
                raiseAndFinish(client, taskId, "{\"eventsPerSecond\": 100000}", ROWS, atEight, CAP);
                assertThat(counter(client, "log-listener", taskId, "updates") - updatesBefore)
                        .as("the same capture counted every update: the raise restarted nothing").isEqualTo(ROWS);

                assertEqualToSource(client, sql, taskId, table);
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    /**
     * Two instances of milvus-sync share the task (four partitions, two each): together they hold
     * the cap, each at its share of the partitions.
     */
    @Test
    void aCapOnMilvusWritesHoldsForTwoInstancesTogetherAndRaisingItSpeedsItUpAtOnce() throws Exception {
        int rows = 4_000;
        int cap = 250;
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "limitw_" + runId();
        String table = "limit_writes";
        NumericRows.create(source, table, "", rows);
        String definition = NumericRows.definition(source, taskId, table, "").replaceFirst("\\{\"id\"",
                "{\"partitions\": 4, \"id\"");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect();
                Statement sql = db.createStatement()) {
            try {
                SuiteProcesses.instance("start", "milvus-sync", SECOND_MILVUS_SYNC_PORT);
                client.startTask(definition);
                await("the snapshot").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions().until(() -> client.count(taskId) == rows
                                && "RUNNING".equals(client.taskStatus(taskId).path("state").asText()));

                setLimit(taskId, "{\"milvusEntitiesPerSecond\": " + cap + "}");
                await("both milvus-sync instances under the cap, half the partitions each").atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> milvusSyncCounters(taskId, "limit.milvusEntitiesPerSecond")
                                .equals(List.of((long) cap, (long) cap))
                                && milvusSyncCounters(taskId, "limitSharePercent").equals(List.of(50L, 50L)));
                assertThat(counter(client, "milvus-sync", taskId, "limit.milvusEntitiesPerSecond"))
                        .as("the task's status: the limit, not the sum of the instances'").isEqualTo(cap);
                long upsertedBefore = sum(milvusSyncCounters(taskId, "upsertedEntities"));

                long started = System.nanoTime();
                assertThat(sql.executeUpdate("UPDATE " + table + " SET a = a + 1000000")).isEqualTo(rows);
                Thread.sleep(6_000);
                long atSix = updated(client, taskId);
                double sixSeconds = (System.nanoTime() - started) / 1e9;
                List<Long> waited = milvusSyncCounters(taskId, "limitWaitMs");
                System.out.printf("RATE LIMIT %d Milvus entities/s over two milvus-sync instances: %d of %d rows "
                        + "updated in Milvus after %.1f s; the instances waited %s ms on the limit, the listener %d ms%n",
                        cap, atSix, rows, sixSeconds, waited, counter(client, "log-listener", taskId, "limitWaitMs"));
                assertThat(waited).as("the status of each instance shows the limit holding").hasSize(2)
                        .allSatisfy(ms -> assertThat(ms).isPositive());
                assertHolding("milvus-sync", taskId, "milvusEntitiesPerSecond", cap, atSix, sixSeconds);
                raiseAndFinish(client, taskId, "{\"milvusEntitiesPerSecond\": 1000000}", rows, atSix, cap);
                assertThat(sum(milvusSyncCounters(taskId, "upsertedEntities")) - upsertedBefore)
                        .as("the same writers wrote every update: the raise restarted nothing").isEqualTo(rows);
                assertEqualToSource(client, sql, taskId, table);
            } finally {
                client.deleteTask(taskId, true);
                SuiteProcesses.instance("stop", "milvus-sync", SECOND_MILVUS_SYNC_PORT);
            }
        }
    }

    @Test
    void aCapOnTextsSentToARemoteProviderHoldsWhereTheyArriveAndRaisingItSpeedsItUp() throws Exception {
        int rows = 600;
        int cap = 40;
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "limite_" + runId();
        String table = "limit_texts";
        source.create(table, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, title VARCHAR(200))");
        Map<String, String> titles = new HashMap<>();
        try (Connection db = source.connect()) {
            db.setAutoCommit(false);
            try (var insert = db.prepareStatement("INSERT INTO " + table + " (id, title) VALUES (?, ?)")) {
                for (int id = 1; id <= rows; id++) {
                    String title = "row " + id + " of " + taskId + ": a title to embed";
                    titles.put(String.valueOf(id), title);
                    insert.setLong(1, id);
                    insert.setString(2, title);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
        }
        try (FakeOpenAiEmbeddings provider = new FakeOpenAiEmbeddings(); DataPathClient client = new DataPathClient()) {
            // A model name of this run only: the vector cache knows none of its texts.
            String definition = """
                    {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s, "tables": [{"table": "%s"}],
                     "limits": {"embeddingTextsPerSecond": {"openai": %d}},
                     "target": {"collection": "%s", "primaryKeyField": "pk",
                                "vectors": [{"name": "emb", "dimension": %d, "metric": "L2", "indexType": "AUTOINDEX",
                                             "embedding": {"provider": "openai", "model": "fake-%s", "template": "{title}",
                                                           "options": {"baseUrl": "%s"}}}]}}
                    """.formatted(taskId, source.sourceJson(), table, cap, taskId, FakeOpenAiEmbeddings.DIMENSION,
                    taskId, provider.baseUrl());
            try {
                client.startTask(definition);
                await("the provider's first texts").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !provider.requests().isEmpty());
                long first = provider.requests().get(0).atNanos();
                Thread.sleep(6_000);
                List<FakeOpenAiEmbeddings.Request> seen = provider.requests();
                int worstExcess = Integer.MIN_VALUE;
                int texts = 0;
                for (FakeOpenAiEmbeddings.Request r : seen) {
                    texts += r.texts();
                    double since = (r.atNanos() - first) / 1e9;
                    // Sentinel's pacing: the first slice at once, then a slice per tenth of a second.
                    worstExcess = Math.max(worstExcess, texts - (int) Math.ceil(since * cap) - cap / 10);
                }
                double seconds = (seen.get(seen.size() - 1).atNanos() - first) / 1e9;
                long waited = counter(client, "data-process", taskId, "limitWaitMs");
                System.out.printf("RATE LIMIT %d texts/s to openai: the provider received %d texts in %d requests over "
                        + "%.1f s (%.1f/s), at most %d above the cap at any moment; data-process waited %d ms%n", cap,
                        texts, seen.size(), seconds, texts / Math.max(seconds, 0.001), worstExcess, waited);
                assertThat(texts).as("texts at the provider in the first 6 s").isLessThan(rows);
                // Half a second of slack: the first request's own round trip (a new connection) sets the start.
                assertThat(worstExcess).as("texts the provider received beyond the cap's pace")
                        .isLessThanOrEqualTo(cap / 2);
                assertThat(waited).as("the status shows the limit holding").isPositive();
                assertThat(counter(client, "data-process", taskId, "limit.embeddingTextsPerSecond.openai"))
                        .isEqualTo(cap);
                assertThat(DataPathClient.metric("data-process", "datarsync_limit_per_second", taskId, "limit",
                        "embeddingTextsPerSecond.openai")).isEqualTo(cap);

                setLimit(taskId, "{\"embeddingTextsPerSecond\": {\"openai\": 100000}}");
                long raised = System.nanoTime();
                int before = texts;
                await("every text after the raise").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> provider.requests().stream().mapToInt(FakeOpenAiEmbeddings.Request::texts).sum()
                                >= rows);
                double afterRaise = (System.nanoTime() - raised) / 1e9;
                double atOldCap = (double) (rows - before) / cap;
                System.out.printf("RATE LIMIT raised: the other %d texts reached the provider in %.1f s (%.1f s at the "
                        + "old cap)%n", rows - before, afterRaise, atOldCap);
                assertThat(afterRaise).isLessThan(atOldCap / 2);
                await("every row in Milvus").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> client.count(taskId) == rows);

                Map<String, List<Float>> actual = new HashMap<>();
                client.milvus.query(QueryReq.builder().collectionName(taskId).filter("").limit(16_384)
                        .outputFields(List.of("pk", "emb")).consistencyLevel(ConsistencyLevel.STRONG).build())
                        .getQueryResults().forEach(r -> {
                            @SuppressWarnings("unchecked")
                            List<Float> v = (List<Float>) r.getEntity().get("emb");
                            actual.put((String) r.getEntity().get("pk"), v);
                        });
                assertThat(actual.keySet()).isEqualTo(titles.keySet());
                titles.forEach((id, title) -> {
                    float[] expected = FakeOpenAiEmbeddings.vector(title);
                    List<Float> got = actual.get(id);
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(got.get(i)).as("row %s, dimension %d", id, i).isCloseTo(expected[i],
                                org.assertj.core.data.Offset.offset(1e-6f));
                    }
                });
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    /**
     * After {@code seconds} of an update under a cap: the stage's metrics show the limit and the
     * wait on it, and no more rows are updated in Milvus than the cap allows (the first slice, a
     * tenth of a second at the cap, passes at once; one more second of slack for the way).
     */
    private static void assertHolding(String stage, String taskId, String kind, int cap, long updated, double seconds) {
        assertThat(DataPathClient.metric(stage, "datarsync_limit_wait_ms_total", taskId))
                .as("the metric shows the limit holding").isPositive();
        assertThat(DataPathClient.metric(stage, "datarsync_limit_per_second", taskId, "limit", kind)).isEqualTo(cap);
        assertThat(updated).as("rows updated in Milvus after %.1f s at %d/s", seconds, cap)
                .isLessThanOrEqualTo((long) (seconds * cap) + cap / 10 + cap);
    }

    /** Raises the cap on the running task: the rest of the update reaches Milvus in under half the time the old cap needs. */
    private static void raiseAndFinish(DataPathClient client, String taskId, String raisedLimits, int rows, long updated,
            int cap) {
        setLimit(taskId, raisedLimits);
        long raised = System.nanoTime();
        await("every row after the raise").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> updated(client, taskId) == rows);
        double afterRaise = (System.nanoTime() - raised) / 1e9;
        double atOldCap = (double) (rows - updated) / cap;
        System.out.printf("RATE LIMIT raised: the other %d rows took %.1f s in Milvus (%.1f s at the old cap)%n",
                rows - updated, afterRaise, atOldCap);
        assertThat(afterRaise).as("the rest after the raise, beside %.1f s at the old cap", atOldCap)
                .isLessThan(atOldCap / 2);
    }

    /** Milvus holds exactly the source's rows and their {@code a}. */
    private static void assertEqualToSource(DataPathClient client, Statement sql, String collection, String table)
            throws java.sql.SQLException {
        Map<String, Long> expected = new HashMap<>();
        try (ResultSet rows = sql.executeQuery("SELECT id, a FROM " + table)) {
            while (rows.next()) {
                expected.put(rows.getString(1), rows.getLong(2));
            }
        }
        Map<String, Long> actual = new HashMap<>();
        client.milvus.query(QueryReq.builder().collectionName(collection).filter("").limit(16_384)
                .outputFields(List.of("pk", "a")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().forEach(r -> actual.put((String) r.getEntity().get("pk"),
                        ((Number) r.getEntity().get("a")).longValue()));
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * Changes the running task's limits: it answers still RUNNING (its stages adopt them, nothing
     * restarts). The task must have been seen RUNNING first: its rows can reach Milvus before the
     * task manager's next round moves it from STARTING.
     */
    private static void setLimit(String taskId, String body) {
        DataPathClient.awaitTask(taskId, "running before its limits change", Duration.ofMinutes(1),
                Duration.ofMillis(200), () -> DataPathClient.taskStatus(taskId).path("state").asText().equals("RUNNING"));
        HttpResponse<String> answer = SuiteProcesses.put(SuiteProcesses.gateway("/api/tasks/" + taskId + "/limits"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).as("the task's state right after the change").contains("\"state\":\"RUNNING\"");
    }

    /** A counter of the task in each milvus-sync instance (the suite's, then the second), asked directly. */
    private static List<Long> milvusSyncCounters(String taskId, String name) {
        List<Long> out = new java.util.ArrayList<>();
        for (int port : List.of(LocalInfra.get().port("milvus-sync"), SECOND_MILVUS_SYNC_PORT)) {
            HttpResponse<String> answer = SuiteProcesses.get(java.net.URI.create("http://127.0.0.1:" + port
                    + "/internal/stage/tasks/" + taskId));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            try {
                out.add(JSON.readTree(answer.body()).path("counters").path(name).asLong());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static long sum(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }

    private static long counter(DataPathClient client, String stage, String taskId, String name) {
        JsonNode counters = client.status(stage, taskId).path("counters");
        return counters.path(name).asLong();
    }

    /** Rows whose update Milvus holds now (Strong). */
    private static long updated(DataPathClient client, String collection) {
        return ((Number) client.milvus.query(QueryReq.builder().collectionName(collection).filter("a >= 1000000")
                .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().get(0).getEntity().get("count(*)")).longValue();
    }
}
