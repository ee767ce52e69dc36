package com.datarsync.milvus.infra;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.CircuitBreaker;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.CircuitBreakerStrategy;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.EventObserverRegistry;
import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A Sentinel circuit breaker (degrade rule, error count) per collection around every write to
 * Milvus. Failures of Milvus itself count; refusals of the data ({@link MilvusFailures}) do not.
 * After {@code failures} of them within {@code window} the breaker opens: writes fail at once
 * without reaching Milvus (the batch is not committed; the task shows RETRYING with DRS-5033)
 * for {@code open-for}, then one write is let through as a probe, and its success closes the
 * breaker again, so writing resumes by itself.
 */
@Component
public class MilvusCircuitBreaker {

    private static final Logger log = LoggerFactory.getLogger(MilvusCircuitBreaker.class);
    private static final String PREFIX = "milvus-write:";

    private final int failures;
    private final Duration window;
    private final Duration openFor;
    private final Map<String, DegradeRule> rules = new ConcurrentHashMap<>();
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker.State> states = new ConcurrentHashMap<>();

    public MilvusCircuitBreaker(@Value("${datarsync.milvus.breaker.failures}") int failures,
            @Value("${datarsync.milvus.breaker.window}") Duration window,
            @Value("${datarsync.milvus.breaker.open-for}") Duration openFor) {
        this.failures = failures;
        this.window = window;
        this.openFor = openFor;
        EventObserverRegistry.getInstance().addStateChangeObserver("datarsync", (previous, next, rule, value) -> {
            if (rule.getResource().startsWith(PREFIX)) {
                states.put(rule.getResource(), next);
                log.warn("Milvus circuit breaker of {} went {} -> {}", rule.getResource().substring(PREFIX.length()),
                        previous, next);
            }
        });
    }

    /**
     * Runs one write to the collection through its breaker. While the breaker is open, throws
     * DRS-5033 naming the last failure, without calling Milvus.
     */
    public <T> T call(String collection, Supplier<T> write) {
        String resource = PREFIX + collection;
        ensureRule(resource);
        Entry entry;
        try {
            entry = SphU.entry(resource);
        } catch (BlockException open) {
            throw new DataRsyncException(ErrorCode.TARGET_PAUSED, "Writes to collection '" + collection
                    + "' are paused: Milvus failed " + failures + " times within " + window.toSeconds()
                    + " s (last: " + lastFailure.getOrDefault(collection, "unknown") + "); a probe is let through every "
                    + openFor.toSeconds() + " s", Map.of("collection", collection), null);
        }
        try {
            return write.get();
        } catch (RuntimeException e) {
            if (!MilvusFailures.isAboutTheData(e)) {
                lastFailure.put(collection, String.valueOf(e.getMessage()));
                Tracer.traceEntry(e, entry);
            }
            throw e;
        } finally {
            entry.exit();
        }
    }

    public void run(String collection, Runnable write) {
        call(collection, () -> {
            write.run();
            return null;
        });
    }

    /** Sentinel's rule manager holds one list for all resources: a new collection's rule joins it. */
    private void ensureRule(String resource) {
        if (rules.containsKey(resource)) {
            return;
        }
        synchronized (rules) {
            if (rules.containsKey(resource)) {
                return;
            }
            DegradeRule rule = new DegradeRule(resource)
                    .setGrade(CircuitBreakerStrategy.ERROR_COUNT.getType())
                    // Sentinel opens when the count is exceeded: the failures-th failure must open it.
                    .setCount(failures - 1)
                    .setMinRequestAmount(failures)
                    .setStatIntervalMs((int) window.toMillis())
                    .setTimeWindow((int) Math.max(1, openFor.toSeconds()));
            rules.put(resource, rule);
            DegradeRuleManager.loadRules(new ArrayList<>(rules.values()));
        }
    }

    /** Whether the collection's breaker is open now (writes paused). */
    public boolean isOpen(String collection) {
        return states.get(PREFIX + collection) == CircuitBreaker.State.OPEN;
    }
}
