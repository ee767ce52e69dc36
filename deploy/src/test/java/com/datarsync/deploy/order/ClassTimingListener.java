package com.datarsync.deploy.order;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints how long each test class took and, at the end, every class slowest first: the numbers
 * that keep the test command inside its budget (docs/testing.md). Registered through
 * META-INF/services, so the JUnit launcher of surefire and failsafe picks it up.
 */
public class ClassTimingListener implements TestExecutionListener {

    private final Map<String, Long> started = new ConcurrentHashMap<>();
    /** Classes with a failed or aborted test: JUnit reports the class container itself as successful. */
    private final java.util.Set<String> failed = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> seconds = new LinkedHashMap<>();

    /** The classes in the order they will run, as the plan holds them once ordered. */
    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        List<String> order = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier child : plan.getChildren(root)) {
                className(child).ifPresent(order::add);
            }
        }
        if (!order.isEmpty()) {
            System.out.println("==> test class order (" + order.size() + "): " + String.join(", ", order));
        }
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        className(id).ifPresent(name -> started.put(name, System.nanoTime()));
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getClassName())
                    .map(n -> n.substring(n.lastIndexOf('.') + 1)).ifPresent(failed::add);
        }
        className(id).ifPresent(name -> {
            Long t0 = started.remove(name);
            if (t0 == null) {
                return;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            synchronized (seconds) {
                seconds.put(name, ms);
            }
            String outcome = failed.contains(name) ? "FAILED" : result.getStatus().toString();
            System.out.printf("==> class %s %s in %.1f s%n", name, outcome, ms / 1000.0);
        });
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        synchronized (seconds) {
            if (seconds.isEmpty()) {
                return;
            }
            StringBuilder line = new StringBuilder("==> class times, slowest first:");
            seconds.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> line.append(String.format(" %s %.0fs;", e.getKey(), e.getValue() / 1000.0)));
            System.out.println(line);
        }
    }

    private static Optional<String> className(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance)
                .map(s -> ((ClassSource) s).getClassName())
                .map(name -> name.substring(name.lastIndexOf('.') + 1));
    }
}
