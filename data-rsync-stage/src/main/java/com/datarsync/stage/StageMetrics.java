package com.datarsync.stage;

import com.datarsync.common.stage.TaskState;

import com.datarsync.common.error.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The meters of one task in one stage, every one tagged {@code task} and {@code stage}, on
 * {@code /actuator/prometheus}; registered when the stage takes the task and removed when it
 * releases it (stop, pause, delete), so a stage exports only the tasks it runs. The names are a
 * contract with the shipped dashboards and alert rules (docs/monitoring.md):
 *
 * <ul>
 *   <li>{@code datarsync_stage_events_total{direction="in"|"out", op}}: events read and passed on,
 *       by operation ({@code insert}, {@code update}, {@code delete}, {@code snapshot},
 *       {@code truncate}, {@code upsert});</li>
 *   <li>{@code datarsync_stage_lag_milliseconds}: from the source's commit of the newest change
 *       this stage has finished (for milvus-sync: Milvus acknowledged it) to now, across every
 *       partition the slowest; heartbeats keep it true while the source is idle; never negative;</li>
 *   <li>{@code datarsync_stage_batch_size}, {@code datarsync_stage_batch_duration_seconds};</li>
 *   <li>{@code datarsync_stage_backlog}: records in the stage's input topic not yet finished;</li>
 *   <li>{@code datarsync_stage_dead_letters_total{code}}, {@code datarsync_stage_retries_total};</li>
 *   <li>{@code datarsync_stage_state{state}}: 1 for the state the task is in, 0 for the others;</li>
 *   <li>{@code datarsync_milvus_write_duration_seconds{operation, outcome}} (milvus-sync);</li>
 *   <li>{@code datarsync_limit_per_second{limit}} and {@code datarsync_limit_wait_ms_total}: a rate
 *       limit of the task this stage enforces (0 once lifted) and the time its work waited on them,
 *       from the first time a limit is set.</li>
 * </ul>
 */
public final class StageMetrics {

    /** What a stage without a meter registry (unit tests) records into: nothing. */
    public static final StageMetrics NONE = new StageMetrics(null, "", "", null);

    private final MeterRegistry registry;
    private final String taskId;
    private final String stage;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** Per input partition (or -1 for a stage that reads no topic), the source time of the newest change done. */
    private final Map<Integer, Long> watermarks = new ConcurrentHashMap<>();
    private final long startedAt = System.currentTimeMillis();
    private final AtomicLong backlog = new AtomicLong();
    private final List<LongSupplier> held = new CopyOnWriteArrayList<>();
    private final Set<String> limitMeters = ConcurrentHashMap.newKeySet();
    private DistributionSummary batchSize;
    private Timer batchDuration;

    StageMetrics(MeterRegistry registry, String taskId, String stage, TaskProgress progress) {
        this.registry = registry;
        this.taskId = taskId;
        this.stage = stage;
        if (registry == null) {
            return;
        }
        batchSize = keep(DistributionSummary.builder("datarsync.stage.batch.size")
                .description("Records per batch a stage handles").tags(tags()).register(registry));
        batchDuration = keep(Timer.builder("datarsync.stage.batch.duration")
                .description("Time a stage takes for one batch, its output acknowledged")
                .publishPercentiles(0.5, 0.99).tags(tags()).register(registry));
        keep(Gauge.builder("datarsync.stage.lag", this, StageMetrics::lagMillis)
                .description("From the source's commit of the newest change this stage has finished to now")
                .baseUnit("milliseconds").tags(tags()).register(registry));
        keep(Gauge.builder("datarsync.stage.backlog", backlog, AtomicLong::get)
                .description("Records in the stage's input topic it has not finished").tags(tags()).register(registry));
        // Born at 0, not at the first dead letter or retry: increase() over a series that
        // appears at 1 counts that first one as no increase, and an alert would miss it.
        deadLetters(ErrorCode.RECORD_REJECTED.code(), 0);
        retries();
        for (TaskState state : TaskState.values()) {
            keep(Gauge.builder("datarsync.stage.state", progress, p -> p.state() == state ? 1 : 0)
                    .description("1 for the state the task is in at this stage").tags(tags()).tag("state", state.name())
                    .register(registry));
        }
    }

    private String[] tags() {
        return new String[] {"task", taskId, "stage", stage};
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    /** Events read by the stage, by operation. */
    public void eventsIn(String op, long count) {
        events("in", op, count);
    }

    /** Events the stage passed on (published, or written to Milvus), by operation. */
    public void eventsOut(String op, long count) {
        events("out", op, count);
    }

    private void events(String direction, String op, long count) {
        if (registry == null || op == null || count <= 0) {
            return;
        }
        counter("datarsync.stage.events", "Events read (in) and passed on (out) by a stage", "direction", direction,
                "op", op).increment(count);
    }

    public void batch(int size, long nanos) {
        if (registry != null) {
            batchSize.record(size);
            batchDuration.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Records waiting in the stage's input topic, the batch in hand included (consumer stages). */
    public void backlog(long records) {
        backlog.set(records);
    }

    public void deadLetters(String code, long count) {
        if (registry != null && count >= 0) {
            counter("datarsync.stage.dead.letters", "Records this stage sent to the dead letters, by error code",
                    "code", code).increment(count);
        }
    }

    void retry() {
        if (registry != null) {
            retries().increment();
        }
    }

    private Counter retries() {
        return counter("datarsync.stage.retries", "Times this stage reported it retries (RETRYING)");
    }

    /** One write to Milvus (a batch's upsert or delete), acknowledged or failed. */
    public void milvusWrite(String operation, boolean success, long nanos) {
        if (registry == null) {
            return;
        }
        String key = operation + (success ? "+" : "-");
        timers.computeIfAbsent(key, k -> keep(Timer.builder("datarsync.milvus.write.duration")
                .description("Time of one Milvus write request").tags(tags()).tag("operation", operation)
                .tag("outcome", success ? "success" : "failure").publishPercentiles(0.5, 0.99).register(registry)))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The source commit time ({@code tsMs}) of the newest change, or heartbeat, the stage has
     * finished on one input partition ({@code -1} for the listener, which reads no topic).
     */
    public void finished(int partition, long tsMs) {
        if (tsMs > 0) {
            watermarks.put(partition, tsMs);
        }
    }

    /** The oldest of the partitions' newest finished source times; 0 before anything was finished. */
    public long watermark() {
        return watermarks.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    /**
     * Lag now, in milliseconds: never negative (a source clock ahead of this one reads as 0); before
     * the first change or heartbeat, the time since the stage took the task.
     */
    public long lagMillis() {
        long watermark = watermark();
        long now = System.currentTimeMillis();
        return Math.max(0, now - (watermark > 0 ? watermark : startedAt));
    }

    /** A counter over one of the task's progress counters (for example the snapshot's rows read). */
    public void counterOf(String name, String description, LongSupplier value) {
        if (registry != null) {
            // Micrometer holds a function meter's object weakly: kept here, it lives as long as the task's meters.
            held.add(value);
            keep(FunctionCounter.builder(name, value, LongSupplier::getAsLong).description(description).tags(tags())
                    .register(registry));
        }
    }

    /** A gauge over one of the task's progress values (for example the snapshot's row estimate). */
    public void gaugeOf(String name, String description, LongSupplier value) {
        if (registry != null) {
            held.add(value);
            keep(Gauge.builder(name, value, v -> v.getAsLong()).description(description).tags(tags())
                    .register(registry));
        }
    }

    /** The meters of one of the task's rate limits, registered the first time it is set. */
    void rateLimit(String kind, LongSupplier rate, LongSupplier waitedMs) {
        if (registry == null) {
            return;
        }
        // One wait counter for all of the stage's limits, one gauge per limit.
        if (limitMeters.add("datarsync.limit.wait.ms")) {
            counterOf("datarsync.limit.wait.ms", "Milliseconds the task's work waited on its rate limits in this stage",
                    waitedMs);
        }
        if (limitMeters.add(kind)) {
            held.add(rate);
            keep(Gauge.builder("datarsync.limit.per.second", rate, LongSupplier::getAsLong)
                    .description("A rate limit of the task, per second (0: lifted)").tags(tags()).tag("limit", kind)
                    .register(registry));
        }
    }

    private Counter counter(String name, String description, String... extraTags) {
        return counters.computeIfAbsent(name + String.join(",", extraTags), k -> keep(Counter.builder(name)
                .description(description).tags(tags()).tags(extraTags).register(registry)));
    }

    /** The registry the task's meters go to; null when the stage records none. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adopts a meter of this task a stage registered itself (embeddings): removed with the others. */
    public <M extends Meter> M own(M meter) {
        return keep(meter);
    }

    /** Removes every meter of the task from the registry. */
    void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
            counters.clear();
            timers.clear();
        }
    }
}
