package com.datarsync.task.domain;

import com.datarsync.common.stage.TaskStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one stage's copies of a task are and where they go, from what the stage's instances
 * answered: the instances that hold it (whose copies read as one observation), those that should
 * also take it (the listener reads one log position, so it never gets a second copy; data-process
 * and milvus-sync share the task's partitions among every instance), and the copies to release.
 * A pure function, unit-tested without a server.
 *
 * @param observation what the reconciler sees of the stage
 * @param holders     the instances holding the task: an assignment or a release goes to them
 * @param idle        instances of a partition-sharing stage without a copy yet: they join in
 *                    once the task runs
 * @param surplus     copies beyond the one the listener may have: released at once
 * @param copies      each instance's copy of the task, as it reported it
 * @param <I>         how an instance is named
 */
public record StagePlacement<I>(Reconciler.Observation observation, List<I> holders, List<I> idle, List<I> surplus,
        Map<I, TaskStatus> copies) {

    /**
     * @param answered    each instance that answered, with every task status it reports, in a
     *                    stable order
     * @param unreachable whether some instance of the stage did not answer
     */
    public static <I> StagePlacement<I> of(Stage stage, String taskId, Map<I, List<TaskStatus>> answered,
            boolean unreachable) {
        Map<I, TaskStatus> copies = new LinkedHashMap<>();
        answered.forEach((instance, statuses) -> statuses.stream().filter(s -> s.taskId().equals(taskId))
                .findFirst().ifPresent(s -> copies.put(instance, s)));
        List<I> holders = new ArrayList<>(copies.keySet());
        List<I> surplus = new ArrayList<>();
        if (!stage.sharesPartitions() && holders.size() > 1) {
            surplus.addAll(holders.subList(1, holders.size()));
            holders = new ArrayList<>(holders.subList(0, 1));
        }
        if (!holders.isEmpty()) {
            List<I> idle = new ArrayList<>();
            if (stage.sharesPartitions()) {
                answered.keySet().stream().filter(i -> !copies.containsKey(i)).forEach(idle::add);
            }
            TaskStatus merged = InstanceStatuses.merge(holders.stream().map(copies::get).toList());
            return new StagePlacement<>(new Reconciler.Observation(stage, true, merged), holders, idle, surplus,
                    copies);
        }
        // A copy in an instance that did not answer is harmless where copies share partitions;
        // otherwise no second copy is started while one may still run.
        if (!answered.isEmpty() && (stage.sharesPartitions() || !unreachable)) {
            I leastBusy = answered.entrySet().stream().min(Comparator.comparingInt(e -> e.getValue().size()))
                    .orElseThrow().getKey();
            return new StagePlacement<>(new Reconciler.Observation(stage, true, null), List.of(leastBusy), List.of(),
                    surplus, copies);
        }
        return new StagePlacement<>(Reconciler.Observation.unreachable(stage), List.of(), List.of(), surplus, copies);
    }
}
