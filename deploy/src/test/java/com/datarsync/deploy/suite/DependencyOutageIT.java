package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Outages of the real dependencies while a steady stream of changes flows into a MariaDB task
 * and a PostgreSQL task: Kafka stopped, Milvus killed, MariaDB, PostgreSQL and Redis restarted.
 * During each outage a task that cannot progress must say so (RETRYING, with the reason; for
 * Milvus in the full run, DRS-5033 once its circuit breaker opened); after it, each task returns to RUNNING by
 * itself, Milvus equals the source field by field and vector by vector, and not one record went
 * to the dead letters.
 *
 * <p>Each outage lasts 20 s by default; {@code -Ddatarsync.faults.full=true} (or the environment
 * variable {@code DATARSYNC_FAULTS_FULL=true}, or {@code datarsync bench}) runs the full size: 90 s each.
 */
class DependencyOutageIT extends RunningSuite {

    private static final boolean FULL = Boolean.getBoolean("datarsync.faults.full")
            || "true".equals(System.getenv("DATARSYNC_FAULTS_FULL")) || SuiteSize.full();
    private static final Duration OUTAGE = Duration.ofSeconds(FULL ? 90 : 20);

    /**
     * One injected outage: how it starts and ends, and which tasks must show RETRYING meanwhile.
     * An outage no task must show (Redis: offsets are flushed again later, the vector cache is
     * only a saving) must instead leave the data path moving: rows keep reaching Milvus.
     */
    private record Outage(String name, Runnable begin, Runnable end, boolean mariaRetries, boolean postgresRetries) {
        boolean mustKeepMoving() {
            return !mariaRetries && !postgresRetries;
        }
    }

    @Test
    void tasksShowRetryingDuringEachOutageAndRecoverByThemselvesExactly() throws Exception {
        MariaDbE2eTable maria = new MariaDbE2eTable();
        PostgresE2eTable postgres = new PostgresE2eTable();
        String run = runId();
        String mariaTask = "out_maria_" + run;
        String postgresTask = "out_pg_" + run;
        List<Outage> outages = List.of(
                new Outage("Kafka stopped", () -> SuiteProcesses.stop("kafka"), () -> SuiteProcesses.start("kafka"),
                        true, true),
                new Outage("Milvus killed", () -> SuiteProcesses.kill("milvus"), () -> SuiteProcesses.start("milvus"),
                        true, true),
                new Outage("MariaDB stopped", () -> SuiteProcesses.stop("mariadb"),
                        () -> SuiteProcesses.start("mariadb"), true, false),
                new Outage("PostgreSQL stopped", () -> SuiteProcesses.stop("postgres"),
                        () -> SuiteProcesses.start("postgres"), false, true),
                new Outage("Redis stopped", () -> SuiteProcesses.stop("redis"), () -> SuiteProcesses.start("redis"),
                        false, false));
        List<String> report = new ArrayList<>();
        try (DataPathClient client = new DataPathClient()) {
            ChangeWriter writer = new ChangeWriter(List.of(maria, postgres));
            try {
                maria.recreate();
                maria.seed(200);
                postgres.recreate();
                postgres.seed(200);
                client.startTask(maria.definition(mariaTask, mariaTask));
                client.startTask(postgres.definition(postgresTask, postgresTask));
                client.awaitMirror(maria, mariaTask, "after the MariaDB snapshot");
                client.awaitMirror(postgres, postgresTask, "after the PostgreSQL snapshot");
                writer.start();

                for (Outage outage : outages) {
                    Map<String, Set<String>> seen = new LinkedHashMap<>();
                    seen.put(mariaTask, new LinkedHashSet<>());
                    seen.put(postgresTask, new LinkedHashSet<>());
                    int changesBefore = writer.applied();
                    long t0 = System.currentTimeMillis();
                    outage.begin().run();
                    long until = System.currentTimeMillis() + OUTAGE.toMillis();
                    // Sampled a few seconds in, when whatever the outage stalls has stalled.
                    List<Object> milvusEarly = null;
                    while (System.currentTimeMillis() < until) {
                        observe(client, seen);
                        if (outage.mustKeepMoving() && milvusEarly == null && System.currentTimeMillis() - t0 > 5_000) {
                            milvusEarly = milvusContent(client, mariaTask, postgresTask);
                        }
                        Thread.sleep(1_000);
                    }
                    List<Object> milvusLate = outage.mustKeepMoving() ? milvusContent(client, mariaTask, postgresTask)
                            : null;
                    outage.end().run();
                    long restored = System.currentTimeMillis();
                    for (String task : List.of(mariaTask, postgresTask)) {
                        await(task + " RUNNING again after " + outage.name()).atMost(Duration.ofMinutes(3))
                                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                                    observe(client, seen);
                                    return "RUNNING".equals(client.taskStatus(task).path("state").asText());
                                });
                    }
                    long recoveredMs = System.currentTimeMillis() - restored;
                    writer.pause();
                    client.awaitMirror(maria, mariaTask, "after " + outage.name());
                    client.awaitMirror(postgres, postgresTask, "after " + outage.name());
                    report.add(String.format("%s for %d s, %d changes meanwhile: MariaDB task %s; PostgreSQL task %s; "
                                    + "both RUNNING %.1f s after the restore; Milvus equal to the source",
                            outage.name(), (restored - t0) / 1000, writer.applied() - changesBefore, seen.get(mariaTask),
                            seen.get(postgresTask), recoveredMs / 1000.0));
                    System.out.println("OUTAGE " + report.get(report.size() - 1));
                    if (outage.mustKeepMoving()) {
                        assertThat(milvusLate).as("what Milvus holds, changing during " + outage.name())
                                .isNotEqualTo(milvusEarly);
                    }
                    if (outage.mariaRetries()) {
                        assertThat(seen.get(mariaTask)).as("MariaDB task during " + outage.name())
                                .anyMatch(s -> s.startsWith("RETRYING"));
                    }
                    if (outage.postgresRetries()) {
                        assertThat(seen.get(postgresTask)).as("PostgreSQL task during " + outage.name())
                                .anyMatch(s -> s.startsWith("RETRYING"));
                    }
                    if (FULL && outage.name().startsWith("Milvus")) {
                        // Writes paused by the circuit breaker rather than hammering a dead server. Only
                        // asserted over the full 90 s: Sentinel counts failures in fixed 10-minute windows,
                        // so a 20 s outage may straddle two of them (MilvusCircuitBreakerTest covers the rule).
                        assertThat(seen.get(mariaTask)).as("MariaDB task during " + outage.name())
                                .anyMatch(s -> s.startsWith("RETRYING DRS-5033"));
                    }
                    // An outage is no fault of any record: nothing went to the dead letters.
                    for (String task : List.of(mariaTask, postgresTask)) {
                        assertThat(TaskTopics.deadLetters(task, 0)).as("dead letters of " + task + " after "
                                + outage.name()).isEmpty();
                    }
                    writer.resume();
                }
                assertThat(writer.applied()).as("changes applied under the outages").isGreaterThan(100);
            } finally {
                writer.stop();
                report.forEach(line -> System.out.println("OUTAGE SUMMARY " + line));
                // Whatever failed above, the suite must be whole for the tests after this one.
                for (String component : List.of("kafka", "milvus", "mariadb", "postgres", "redis")) {
                    SuiteProcesses.start(component);
                }
                client.deleteTask(mariaTask, true);
                client.deleteTask(postgresTask, true);
                postgres.dropCaptureState(postgresTask);
            }
        }
    }

    /** The keys and titles Milvus holds for both tasks, read from Milvus itself. */
    private static List<Object> milvusContent(DataPathClient client, String... collections) {
        List<Object> out = new ArrayList<>();
        for (String collection : collections) {
            Map<String, Object> titles = new java.util.TreeMap<>();
            client.entities(collection, List.of("title")).forEach((key, entity) -> titles.put(key, entity.get("title")));
            out.add(titles);
        }
        return out;
    }

    /** Records each task's state (with the code and the reason when there is one). */
    private static void observe(DataPathClient client, Map<String, Set<String>> seen) {
        for (Map.Entry<String, Set<String>> e : seen.entrySet()) {
            try {
                JsonNode status = client.taskStatus(e.getKey());
                String state = status.path("state").asText();
                if (!state.isEmpty()) {
                    // Counts and task ids vary from one answer to the next: keep one line per kind of reason.
                    String why = status.path("message").asText().replace(e.getKey(), "<task>").replaceAll("\\d+", "N");
                    e.getValue().add(state + (status.has("errorCode") ? " " + status.get("errorCode").asText() + " "
                            + why.substring(0, Math.min(why.length(), 110)) : ""));
                }
            } catch (RuntimeException unavailable) {
                // The task manager's own database may be the one that is down.
                e.getValue().add("(status unavailable)");
            }
        }
    }
}
