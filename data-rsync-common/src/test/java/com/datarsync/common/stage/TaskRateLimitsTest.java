package com.datarsync.common.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slicing and pacing under a Sentinel flow rule (the real Sentinel, in this JVM). */
class TaskRateLimitsTest {

    private static final String TASK = "limits_unit";

    @AfterEach
    void lift() {
        TaskRateLimits.set(TASK, "texts", null);
        TaskRateLimits.set(TASK, "entities", null);
        TaskRateLimits.forget(TASK);
    }

    @Test
    void withoutALimitABatchIsOneSliceAndNothingWaits() throws InterruptedException {
        List<Integer> items = IntStream.range(0, 1_000).boxed().toList();
        assertThat(TaskRateLimits.slices(TASK, "texts", items, i -> 1)).containsExactly(items);
        TaskProgress progress = new TaskProgress(TASK, "test", 0);
        TaskRateLimits.pace(progress, "texts", 1_000_000);
        assertThat(progress.counter("limitWaitMs")).isZero();
    }

    @Test
    void underALimitSlicesHoldATenthOfASecondByWeightAndAHeavyItemGoesAlone() {
        TaskRateLimits.set(TASK, "entities", 100);
        // Weights 3, 3, 3, 3, 20, 1: at most 10 per slice, the 20 alone.
        List<Integer> weights = List.of(3, 3, 3, 3, 20, 1);
        assertThat(TaskRateLimits.slices(TASK, "entities", weights, w -> w))
                .containsExactly(List.of(3, 3, 3), List.of(3), List.of(20), List.of(1));
    }

    @Test
    void pacingHoldsTheRateAndCountsTheWait() throws InterruptedException {
        TaskRateLimits.set(TASK, "texts", 50);
        TaskProgress progress = new TaskProgress(TASK, "test", 0);
        long started = System.nanoTime();
        for (List<Integer> part : TaskRateLimits.slices(TASK, "texts", IntStream.range(0, 100).boxed().toList(),
                i -> 1)) {
            TaskRateLimits.pace(progress, "texts", part.size());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // 100 at 50/s: the first slice passes at once, the other 95 take about 1.9 s.
        assertThat(seconds).isGreaterThan(1.5);
        assertThat(progress.counter("limitWaitMs")).isGreaterThan(1_000);
        assertThat(progress.counter("limitedAt")).isPositive();
    }

    @Test
    void liftingTheLimitLetsAWaitingCallerThroughAtOnce() throws Exception {
        TaskRateLimits.set(TASK, "texts", 1);
        Thread lifter = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            TaskRateLimits.set(TASK, "texts", null);
        });
        lifter.start();
        long started = System.nanoTime();
        TaskRateLimits.acquire(TASK, "texts", 60);
        lifter.join();
        // 60 at 1/s would take a minute.
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(10);
    }

    @Test
    void aProcessWithHalfThePartitionsHoldsHalfTheLimit() throws InterruptedException {
        TaskRateLimits.set(TASK, "texts", 40);
        TaskRateLimits.share(TASK, 0.5);
        assertThat(TaskRateLimits.slices(TASK, "texts", IntStream.range(0, 10).boxed().toList(), i -> 1))
                .as("a tenth of a second at 20/s").hasSize(5);
        TaskProgress progress = new TaskProgress(TASK, "test", 0);
        long started = System.nanoTime();
        for (List<Integer> part : TaskRateLimits.slices(TASK, "texts", IntStream.range(0, 40).boxed().toList(),
                i -> 1)) {
            TaskRateLimits.pace(progress, "texts", part.size());
        }
        // 40 at 20/s: about 1.9 s (0.9 s at the whole limit).
        assertThat((System.nanoTime() - started) / 1e9).isGreaterThan(1.5);
        assertThat(TaskRateLimits.limit(TASK, "texts")).as("the task's limit as given").isEqualTo(40);
    }
}
