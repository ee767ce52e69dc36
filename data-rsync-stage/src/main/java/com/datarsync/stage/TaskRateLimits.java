package com.datarsync.stage;

import com.alibaba.csp.sentinel.EntryType;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRule;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRuleManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Per-task rate limits as Sentinel flow rules (QPS grade, uniform rate limiter: requests are
 * paced, not rejected). One rule per task and kind ({@code datarsync:<task>:<kind>}); changing a
 * limit reloads the rules, and a caller waiting on the old one takes the new one at its next
 * slice. Sentinel keeps one rule list per process, so every rule of the process lives here.
 *
 * <p>Several instances of a stage share a task by its Kafka partitions: each then holds the
 * limit times its share of the partitions ({@link #share}), so together they hold the limit.
 */
public final class TaskRateLimits {

    /**
     * A process's limits. Sentinel keeps one rule list per process, so a service has one of these
     * (a bean of TaskStageConfiguration) and hands it to each task's {@link TaskProgress}; a test
     * makes its own.
     */
    public TaskRateLimits() {
    }

    /** Permits asked of Sentinel at once: at most this long a slice at the limit's rate. */
    private static final long SLICE_MS = 100;
    /** How long Sentinel itself may queue one slice before it refuses it (then we wait and ask again). */
    private static final int MAX_QUEUEING_MS = 500;

    /** A limit as the task gives it. */
    private record Limit(String taskId, int perSecond) {
    }

    private final Map<String, Limit> limits = new ConcurrentHashMap<>();
    /** Per task, the share of its work this process does (its partitions over all); 1 when absent. */
    private final Map<String, Double> shares = new ConcurrentHashMap<>();

    private static String resource(String taskId, String kind) {
        return "datarsync:" + taskId + ":" + kind;
    }

    /** Sets (a positive number per second) or removes (null) a task's limit of one kind. */
    public synchronized void set(String taskId, String kind, Integer perSecond) {
        String resource = resource(taskId, kind);
        if (perSecond == null) {
            if (limits.remove(resource) == null) {
                return;
            }
        } else if (new Limit(taskId, perSecond).equals(limits.put(resource, new Limit(taskId, perSecond)))) {
            return;
        }
        loadRules();
    }

    /**
     * The share of the task's work this process does, in (0, 1]: the partitions of the task's
     * topic its consumer holds over all of them. Every limit of the task here is that much of the
     * task's limit.
     */
    public synchronized void share(String taskId, double fraction) {
        double bounded = Math.max(Double.MIN_NORMAL, Math.min(1, fraction));
        Double before = shares.put(taskId, bounded);
        if ((before == null ? 1 : before) != bounded) {
            loadRules();
        }
    }

    /** Forgets the task's share (its work here stopped). */
    public synchronized void forget(String taskId) {
        if (shares.remove(taskId) != null) {
            loadRules();
        }
    }

    private void loadRules() {
        ArrayList<FlowRule> rules = new ArrayList<>();
        limits.forEach((name, limit) -> {
            FlowRule rule = new FlowRule(name);
            rule.setGrade(RuleConstant.FLOW_GRADE_QPS);
            rule.setCount(effective(limit));
            rule.setControlBehavior(RuleConstant.CONTROL_BEHAVIOR_RATE_LIMITER);
            rule.setMaxQueueingTimeMs(MAX_QUEUEING_MS);
            rules.add(rule);
        });
        FlowRuleManager.loadRules(rules);
    }

    /** The limit this process holds: the task's times this process's share. */
    private double effective(Limit limit) {
        return limit.perSecond() * shares.getOrDefault(limit.taskId(), 1.0);
    }

    /** Units of a tenth of a second at this rate (at least 1): what one permit request asks for. */
    private static int slice(double perSecond) {
        return (int) Math.max(1, perSecond * SLICE_MS / 1000);
    }

    /** The limit now, as the task gives it, or null. */
    public Integer limit(String taskId, String kind) {
        Limit limit = limits.get(resource(taskId, kind));
        return limit == null ? null : limit.perSecond();
    }

    /** What is done with each slice of a batch. */
    @FunctionalInterface
    public interface SliceAction<T> {
        void accept(List<T> slice) throws InterruptedException;
    }

    /**
     * Hands {@code items} to {@code action} under the task's limit of this kind: a tenth of a
     * second's worth at a time (by {@code weight}; an item heavier than that alone), each after
     * {@link #pace} let it pass, so a batch goes out at the rate instead of in one burst after a
     * long wait. Each slice is cut at the limit of that moment, so a raised or lifted limit
     * applies to the rest of the batch at once; without a limit, the rest goes in one slice.
     */
    public <T> void inSlices(TaskProgress progress, String kind, List<T> items, ToIntFunction<T> weight,
            SliceAction<T> action) throws InterruptedException {
        String resource = resource(progress.taskId(), kind);
        int from = 0;
        do {
            Limit limit = limits.get(resource);
            if (limit == null) {
                action.accept(items.subList(from, items.size()));
                return;
            }
            int most = slice(effective(limit));
            int to = from;
            int sum = 0;
            while (to < items.size()) {
                int w = weight.applyAsInt(items.get(to));
                if (to > from && sum + w > most) {
                    break;
                }
                sum += w;
                to++;
            }
            pace(progress, kind, sum);
            action.accept(items.subList(from, to));
            from = to;
        } while (from < items.size());
    }

    /**
     * {@link #acquire} for a stage's task, noting a wait in its status ({@code limitWaitMs} adds
     * up the milliseconds, {@code limitedAt} is when it last waited).
     */
    private void pace(TaskProgress progress, String kind, int count) throws InterruptedException {
        long waited = acquire(progress.taskId(), kind, count);
        if (waited > 0) {
            progress.add("limitWaitMs", waited);
            progress.set("limitedAt", System.currentTimeMillis());
        }
    }

    /**
     * Waits until {@code count} units may pass under the task's limit of this kind (at once when
     * there is none); returns the milliseconds waited beyond the work itself.
     */
    public long acquire(String taskId, String kind, int count) throws InterruptedException {
        String resource = resource(taskId, kind);
        long started = System.nanoTime();
        int left = count;
        while (left > 0) {
            Limit limit = limits.get(resource);
            if (limit == null) {
                break;
            }
            int slice = Math.min(left, slice(effective(limit)));
            try {
                SphU.entry(resource, EntryType.IN, slice).exit(slice);
                left -= slice;
            } catch (BlockException queueFull) {
                Thread.sleep(SLICE_MS);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return (System.nanoTime() - started) / 1_000_000;
    }
}
