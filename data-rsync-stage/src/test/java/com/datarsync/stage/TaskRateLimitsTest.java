package com.datarsync.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slicing and pacing under a Sentinel flow rule (the real Sentinel, in this JVM). */
class TaskRateLimitsTest {

    private static final String TASK = "limits_unit";

    private final TaskRateLimits limits = new TaskRateLimits();
    private final TaskProgress progress = new TaskProgress(TASK, "test", 0, null, limits);

    @AfterEach
    void lift() {
        limits.set(TASK, "texts", null);
        limits.set(TASK, "entities", null);
        limits.forget(TASK);
    }

    private <T> List<List<T>> slicesOf(String kind, List<T> items, java.util.function.ToIntFunction<T> weight)
            throws InterruptedException {
        List<List<T>> out = new ArrayList<>();
        limits.inSlices(progress, kind, items, weight, part -> out.add(List.copyOf(part)));
        return out;
    }

    private static List<Integer> numbers(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    @Test
    void withoutALimitABatchIsOneSliceAndNothingWaits() throws InterruptedException {
        List<Integer> items = numbers(1_000);
        assertThat(slicesOf("texts", items, i -> 1)).containsExactly(items);
        assertThat(progress.counter("limitWaitMs")).isZero();
    }

    @Test
    void underALimitSlicesHoldATenthOfASecondByWeightAndAHeavyItemGoesAlone() throws InterruptedException {
        limits.set(TASK, "entities", 100);
        // Weights 3, 3, 3, 3, 20, 1: at most 10 per slice, the 20 alone.
        assertThat(slicesOf("entities", List.of(3, 3, 3, 3, 20, 1), w -> w))
                .containsExactly(List.of(3, 3, 3), List.of(3), List.of(20), List.of(1));
    }

    @Test
    void pacingHoldsTheRateAndCountsTheWait() throws InterruptedException {
        limits.set(TASK, "texts", 50);
        long started = System.nanoTime();
        slicesOf("texts", numbers(100), i -> 1);
        double seconds = (System.nanoTime() - started) / 1e9;
        // 100 at 50/s: the first slice passes at once, the other 95 take about 1.9 s.
        assertThat(seconds).isGreaterThan(1.5);
        assertThat(progress.counter("limitWaitMs")).isGreaterThan(1_000);
        assertThat(progress.counter("limitedAt")).isPositive();
    }

    @Test
    void aLimitRaisedInTheMiddleOfABatchCutsTheRestAtTheNewRate() throws InterruptedException {
        limits.set(TASK, "texts", 50);
        List<Integer> sizes = new ArrayList<>();
        limits.inSlices(progress, "texts", numbers(100), i -> 1, part -> {
            sizes.add(part.size());
            if (sizes.size() == 2) {
                limits.set(TASK, "texts", 100_000);
            }
        });
        assertThat(sizes).containsExactly(5, 5, 90);
    }

    @Test
    void liftingTheLimitLetsAWaitingCallerThroughAtOnce() throws Exception {
        limits.set(TASK, "texts", 1);
        Thread lifter = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            limits.set(TASK, "texts", null);
        });
        lifter.start();
        long started = System.nanoTime();
        limits.acquire(TASK, "texts", 60);
        lifter.join();
        // 60 at 1/s would take a minute.
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(10);
    }

    @Test
    void aProcessWithHalfThePartitionsHoldsHalfTheLimit() throws InterruptedException {
        limits.set(TASK, "texts", 40);
        limits.share(TASK, 0.5);
        assertThat(slicesOf("texts", numbers(10), i -> 1).get(0)).as("a tenth of a second at 20/s").hasSize(2);
        long started = System.nanoTime();
        slicesOf("texts", numbers(40), i -> 1);
        // 40 at 20/s: about 1.9 s (0.9 s at the whole limit).
        assertThat((System.nanoTime() - started) / 1e9).isGreaterThan(1.5);
        assertThat(limits.limit(TASK, "texts")).as("the task's limit as given").isEqualTo(40);
    }
}
