package com.datarsync.task.domain;

import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * One stage's report for a task that several instances of the stage run together (data-process
 * and milvus-sync share a task's partitions through their consumer group): the copies read as
 * one. The task is only as far as its furthest-behind copy: the oldest generation and the worst
 * state (with that copy's code and message) stand for the stage; counters add up, since each
 * copy counts only the records of its own partitions, except those that are values, not counts
 * ({@link #merged}).
 */
public final class InstanceStatuses {

    /** From worst to best: the first state any copy is in is the stage's. */
    private static final List<TaskState> WORST_FIRST = List.of(TaskState.FAILED, TaskState.RETRYING,
            TaskState.STOPPED, TaskState.STARTING, TaskState.RUNNING, TaskState.COMPLETED);

    private InstanceStatuses() {
    }

    public static TaskStatus merge(List<TaskStatus> copies) {
        if (copies.isEmpty()) {
            throw new IllegalArgumentException("no copy to merge");
        }
        if (copies.size() == 1) {
            return copies.get(0);
        }
        long generation = copies.stream().mapToLong(TaskStatus::generation).min().orElseThrow();
        // A copy on an older generation is the one the task waits for; among equals, the worst state.
        TaskStatus worst = copies.stream()
                .min(Comparator.comparingLong(TaskStatus::generation)
                        .thenComparingInt(s -> WORST_FIRST.indexOf(s.state())))
                .orElseThrow();
        Map<String, Long> counters = new TreeMap<>();
        Set<String> warnings = new LinkedHashSet<>();
        for (TaskStatus copy : copies) {
            if (copy.counters() != null) {
                copy.counters().forEach((name, value) -> counters.merge(name, value, merged(name)));
            }
            if (copy.warnings() != null) {
                warnings.addAll(copy.warnings());
            }
        }
        return new TaskStatus(worst.taskId(), worst.stage(), generation, worst.state(), worst.errorCode(),
                worst.message(), counters, earliest(copies.stream().map(TaskStatus::startedAt).toList()),
                latest(copies.stream().map(TaskStatus::updatedAt).toList()),
                latest(copies.stream().map(TaskStatus::heartbeatAt).toList()),
                warnings.isEmpty() ? null : new ArrayList<>(warnings));
    }

    /**
     * How two copies' values of a counter combine: a source time the stage is done up to is the
     * furthest-behind copy's (of those that have one); a time something last happened, a limit
     * (each copy holds the task's), a flag or a duration, the largest; a count, the sum.
     */
    static BinaryOperator<Long> merged(String counter) {
        if (counter.equals("sourceWatermarkMs")) {
            return (a, b) -> a <= 0 ? b : b <= 0 ? a : Math.min(a, b);
        }
        if (counter.startsWith("limit.") || counter.equals("limitedAt") || counter.equals("lastSourceTsMs")
                || counter.equals("indexPending") || counter.equals("indexBuildMs")
                || counter.equals("snapshotRowsEstimate")) {
            return Math::max;
        }
        return Long::sum;
    }

    private static Instant earliest(List<Instant> times) {
        return times.stream().filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
    }

    private static Instant latest(List<Instant> times) {
        return times.stream().filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
    }
}
