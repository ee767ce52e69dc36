package com.datarsync.common.stage;

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
 */
public final class TaskRateLimits {

    /** Permits asked of Sentinel at once: at most this long a slice at the limit's rate. */
    private static final long SLICE_MS = 100;
    /** How long Sentinel itself may queue one slice before it refuses it (then we wait and ask again). */
    private static final int MAX_QUEUEING_MS = 500;

    private static final Map<String, Integer> LIMITS = new ConcurrentHashMap<>();

    private TaskRateLimits() {
    }

    private static String resource(String taskId, String kind) {
        return "datarsync:" + taskId + ":" + kind;
    }

    /** Sets (a positive number per second) or removes (null) a task's limit of one kind. */
    public static synchronized void set(String taskId, String kind, Integer perSecond) {
        String resource = resource(taskId, kind);
        if (perSecond == null) {
            if (LIMITS.remove(resource) == null) {
                return;
            }
        } else if (perSecond.equals(LIMITS.put(resource, perSecond))) {
            return;
        }
        ArrayList<FlowRule> rules = new ArrayList<>();
        LIMITS.forEach((name, rate) -> {
            FlowRule rule = new FlowRule(name);
            rule.setGrade(RuleConstant.FLOW_GRADE_QPS);
            rule.setCount(rate);
            rule.setControlBehavior(RuleConstant.CONTROL_BEHAVIOR_RATE_LIMITER);
            rule.setMaxQueueingTimeMs(MAX_QUEUEING_MS);
            rules.add(rule);
        });
        FlowRuleManager.loadRules(rules);
    }

    /**
     * Splits {@code items} into runs of at most a tenth of a second's worth at the limit (by
     * {@code weight}; an item heavier than that alone), so a batch goes out at the rate instead of
     * in one burst after a long wait; without a limit, the whole list.
     */
    public static <T> List<List<T>> slices(String taskId, String kind, List<T> items, ToIntFunction<T> weight) {
        Integer rate = limit(taskId, kind);
        if (rate == null || items.isEmpty()) {
            return List.of(items);
        }
        int most = slice(rate);
        List<List<T>> out = new ArrayList<>();
        int from = 0;
        int sum = 0;
        for (int i = 0; i < items.size(); i++) {
            int w = weight.applyAsInt(items.get(i));
            if (i > from && sum + w > most) {
                out.add(items.subList(from, i));
                from = i;
                sum = 0;
            }
            sum += w;
        }
        out.add(items.subList(from, items.size()));
        return out;
    }

    /**
     * {@link #acquire} for a stage's task, noting a wait in its status ({@code limitWaitMs} adds
     * up the milliseconds, {@code limitedAt} is when it last waited).
     */
    public static void pace(TaskProgress progress, String kind, int count) throws InterruptedException {
        long waited = acquire(progress.taskId(), kind, count);
        if (waited > 0) {
            progress.add("limitWaitMs", waited);
            progress.set("limitedAt", System.currentTimeMillis());
        }
    }

    /** Units of a tenth of a second at this rate (at least 1): what one permit request asks for. */
    public static int slice(int perSecond) {
        return (int) Math.max(1, perSecond * SLICE_MS / 1000);
    }

    /** The limit now, or null. */
    public static Integer limit(String taskId, String kind) {
        return LIMITS.get(resource(taskId, kind));
    }

    /**
     * Waits until {@code count} units may pass under the task's limit of this kind (at once when
     * there is none); returns the milliseconds waited beyond the work itself.
     */
    public static long acquire(String taskId, String kind, int count) throws InterruptedException {
        String resource = resource(taskId, kind);
        long started = System.nanoTime();
        int left = count;
        while (left > 0) {
            Integer rate = LIMITS.get(resource);
            if (rate == null) {
                break;
            }
            int slice = Math.min(left, slice(rate));
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
