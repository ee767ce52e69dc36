package com.datarsync.task.domain;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;
import com.datarsync.common.task.SyncTaskDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Decides, for one task, what the supervisor does next from its desired state and what each stage
 * reported: which stages get the assignment (again), which release it, and the task's state. A
 * pure function of its inputs, so every rule below is unit-tested without a server.
 *
 * <ul>
 *   <li>A stage that lost its assignment (restart, crash) or runs an older generation gets it at once.</li>
 *   <li>A stage that failed with a retriable code (a dependency unreachable, a timeout) makes the
 *       task RETRYING and is assigned again after a back-off that doubles up to a maximum.</li>
 *   <li>A stage that is unreachable, or retries by itself, also makes the task RETRYING.</li>
 *   <li>RETRYING that lasts past the budget, or a permanent failure code, makes the task FAILED:
 *       every stage releases it and nothing is retried until an operator acts.</li>
 * </ul>
 */
public final class Reconciler {

    /**
     * The retry rules: back-off from {@code initialBackoff} doubling to {@code maxBackoff}, within
     * {@code budget}; the retry book is cleared once the task has run for {@code stableAfter}.
     */
    public record Policy(Duration initialBackoff, Duration maxBackoff, Duration budget, Duration stableAfter) {
        Duration backoff(int attempt) {
            long factor = 1L << Math.min(Math.max(attempt - 1, 0), 20);
            Duration d = initialBackoff.multipliedBy(factor);
            return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
        }
    }

    /** What one stage answered about the task: unreachable, not holding it (status null), or its status. */
    public record Observation(Stage stage, boolean reachable, TaskStatus status) {
        public static Observation unreachable(Stage stage) {
            return new Observation(stage, false, null);
        }
    }

    /**
     * The supervisor's next steps for the task and the state to record.
     *
     * @param endRun the outcome that ends the open run, or null when the run goes on
     * @param events lines for the run's execution log (state changes, retries, failures)
     */
    public record Plan(List<Stage> assign, List<Stage> release, SyncTaskState state,
            String code, String message, int attempts, Instant retryingSince, Instant nextRetryAt,
            boolean snapshotCompleted, RunOutcome endRun, List<String> events) {
    }

    /**
     * What must hold before a task may start work: the upstream tasks whose snapshot has not
     * completed yet, and whether it holds a snapshot slot (or needs none).
     */
    public record Gate(List<String> unmetDependencies, boolean snapshotAdmitted, int queuePosition) {
        public static final Gate OPEN = new Gate(List.of(), true, 0);
    }

    private Reconciler() {
    }

    public static Plan decide(SyncTask task, Map<Stage, Observation> observed, Policy policy, Instant now) {
        return decide(task, observed, Gate.OPEN, policy, now);
    }

    public static Plan decide(SyncTask task, Map<Stage, Observation> observed, Gate gate, Policy policy, Instant now) {
        boolean snapshotDone = task.getSnapshotCompletedAt() == null && snapshotCompleted(task, observed);
        List<String> events = new ArrayList<>();
        if (snapshotDone) {
            events.add("Snapshot completed");
        }
        if (task.getDesiredState() != DesiredState.RUNNING) {
            return letGo(task, observed, snapshotDone, events);
        }
        if (task.getState() == SyncTaskState.FAILED) {
            // Sticky until an operator starts or restarts the task: make sure nothing runs it.
            return new Plan(List.of(), holding(observed), SyncTaskState.FAILED,
                    task.getStateCode(), task.getStateMessage(), task.getRetryAttempts(), null, null, snapshotDone,
                    null, events);
        }

        // A task that no stage works on yet waits for its upstreams, then for a snapshot slot.
        boolean started = observed.values().stream().anyMatch(o -> o.status() != null
                && o.status().generation() == task.getGeneration());
        if (!started && !gate.unmetDependencies().isEmpty()) {
            String why = "waiting for the snapshot of " + String.join(", ", gate.unmetDependencies());
            if (task.getState() != SyncTaskState.WAITING) {
                events.add("Waiting: " + why);
            }
            return new Plan(List.of(), holding(observed), SyncTaskState.WAITING, null, why, 0, null, null,
                    snapshotDone, null, events);
        }
        if (!started && !gate.snapshotAdmitted()) {
            String why = "queued for a snapshot slot, position " + gate.queuePosition();
            if (task.getState() != SyncTaskState.QUEUED) {
                events.add("Queued: " + why);
            }
            return new Plan(List.of(), holding(observed), SyncTaskState.QUEUED, null, why, 0, null, null,
                    snapshotDone, null, events);
        }

        List<Stage> assignNow = new ArrayList<>();
        List<Stage> assignAfterBackoff = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        boolean starting = false;
        boolean listenerCompleted = false;
        for (Stage stage : Stage.END_FIRST) {
            Observation o = observed.get(stage);
            if (o == null || !o.reachable()) {
                problems.add(new Problem(stage, ErrorCode.SERVICE_UNAVAILABLE.code(), "no instance answers"));
                continue;
            }
            TaskStatus s = o.status();
            if (s == null || s.generation() != task.getGeneration() || s.state() == TaskState.STOPPED) {
                assignNow.add(stage);
                starting = true;
                continue;
            }
            switch (s.state()) {
                case FAILED -> {
                    ErrorCode code = byCode(s.errorCode());
                    if (code == null || !code.retriable()) {
                        String why = stage.label() + ": " + s.message();
                        events.add("Failed permanently: " + s.errorCode() + " " + why);
                        return new Plan(List.of(), holding(observed), SyncTaskState.FAILED,
                                s.errorCode(), why, task.getRetryAttempts(), null, null, snapshotDone, RunOutcome.FAILED,
                                events);
                    }
                    problems.add(new Problem(stage, s.errorCode(), s.message()));
                    assignAfterBackoff.add(stage);
                }
                case RETRYING -> problems.add(new Problem(stage, s.errorCode(), s.message()));
                case STARTING -> starting = true;
                case COMPLETED -> listenerCompleted |= stage == Stage.LOG_LISTENER;
                default -> { }
            }
        }

        if (problems.isEmpty()) {
            SyncTaskState state;
            if (starting) {
                state = SyncTaskState.STARTING;
            } else if (listenerCompleted && task.mode() == SyncTaskDefinition.Mode.FULL) {
                state = SyncTaskState.COMPLETED;
            } else {
                state = SyncTaskState.RUNNING;
            }
            if (state != task.getState()) {
                events.add(switch (state) {
                    case STARTING -> "Assigning generation " + task.getGeneration() + " to " + labels(assignNow);
                    case COMPLETED -> "Completed: the snapshot was read in full";
                    default -> "Running: every stage runs generation " + task.getGeneration();
                });
            }
            RunOutcome end = state == SyncTaskState.COMPLETED ? RunOutcome.SUCCEEDED : null;
            // A retried stage that starts again may fail again: keep counting until the task has
            // run steadily, so the back-off keeps growing and the budget keeps running.
            boolean stable = state != SyncTaskState.STARTING && task.getState() == state
                    && !task.getStateSince().plus(policy.stableAfter()).isAfter(now);
            if (task.getRetryingSince() != null && !stable) {
                return new Plan(assignNow, List.of(), state, null, null, task.getRetryAttempts(),
                        task.getRetryingSince(), task.getNextRetryAt(), snapshotDone, end, events);
            }
            return new Plan(assignNow, List.of(), state, null, null, 0, null, null, snapshotDone, end, events);
        }

        Problem first = problems.get(0);
        Instant since = task.getRetryingSince() != null ? task.getRetryingSince() : now;
        if (Duration.between(since, now).compareTo(policy.budget()) > 0) {
            String why = "Gave up after retrying for " + policy.budget() + " (" + task.getRetryAttempts()
                    + " attempts): " + first.stage().label() + ": " + first.message();
            events.add(why);
            return new Plan(List.of(), holding(observed), SyncTaskState.FAILED, first.code(), why,
                    task.getRetryAttempts(), since, null, snapshotDone, RunOutcome.FAILED, events);
        }
        int attempts = task.getRetryAttempts();
        Instant next = task.getNextRetryAt();
        List<Stage> assign = new ArrayList<>(assignNow);
        if (!assignAfterBackoff.isEmpty()) {
            if (next == null || !now.isBefore(next)) {
                if (next != null) {
                    assign.addAll(assignAfterBackoff);
                    events.add("Retry " + attempts + ": assigning " + labels(assignAfterBackoff) + " again");
                }
                attempts++;
                next = now.plus(policy.backoff(attempts));
                events.add("Retrying: " + first.code() + " " + first.stage().label() + ": " + first.message()
                        + " (retry " + attempts + " in " + Duration.between(now, next).toSeconds() + " s)");
            }
        } else if (task.getState() != SyncTaskState.RETRYING) {
            events.add("Retrying: " + first.code() + " " + first.stage().label() + ": " + first.message());
        }
        return new Plan(sorted(assign), List.of(), SyncTaskState.RETRYING, first.code(),
                first.stage().label() + ": " + first.message(), attempts, since, next, snapshotDone, null, events);
    }

    private record Problem(Stage stage, String code, String message) {
    }

    /** Desired PAUSED or STOPPED: every stage that holds the task releases it, the source first. */
    private static Plan letGo(SyncTask task, Map<Stage, Observation> observed, boolean snapshotDone, List<String> events) {
        List<Stage> release = holding(observed);
        boolean unreachable = observed.values().stream().anyMatch(o -> !o.reachable())
                || observed.size() < Stage.values().length;
        SyncTaskState state;
        RunOutcome end = null;
        if (!release.isEmpty() || unreachable) {
            // An unreachable stage may still run the task; it is released once it answers.
            state = SyncTaskState.STOPPING;
        } else if (task.getDesiredState() == DesiredState.PAUSED) {
            state = SyncTaskState.PAUSED;
        } else {
            state = task.getState() == SyncTaskState.CREATED
                    ? SyncTaskState.CREATED : SyncTaskState.STOPPED;
            end = RunOutcome.STOPPED;
        }
        if (state != task.getState()) {
            events.add(switch (state) {
                case STOPPING -> "Releasing the task in " + labels(release);
                case PAUSED -> "Paused: no stage runs the task; positions are kept";
                default -> "Stopped: no stage runs the task; positions are kept";
            });
        }
        return new Plan(List.of(), release, state, null, null, 0, null, null, snapshotDone, end, events);
    }

    private static boolean snapshotCompleted(SyncTask task, Map<Stage, Observation> observed) {
        Observation listener = observed.get(Stage.LOG_LISTENER);
        if (listener == null || listener.status() == null) {
            return false;
        }
        TaskStatus s = listener.status();
        if (s.generation() != task.getGeneration()) {
            // A listener still on an older generation (a full sync just began) says nothing of this one.
            return false;
        }
        Long completed = s.counters() == null ? null : s.counters().get("snapshotsCompleted");
        boolean read = (completed != null && completed > 0)
                || (s.state() == TaskState.COMPLETED && task.mode() == SyncTaskDefinition.Mode.FULL);
        return read && !indexStillBuilding(task, observed);
    }

    /**
     * A full load written without vector indexes (target.index.afterLoad) is complete only once
     * milvus-sync has built them and loaded the collection: it reports {@code indexPending} 0.
     */
    private static boolean indexStillBuilding(SyncTask task, Map<Stage, Observation> observed) {
        Observation sync = observed.get(Stage.MILVUS_SYNC);
        TaskStatus s = sync == null ? null : sync.status();
        if (s == null || s.generation() != task.getGeneration()) {
            // Not known now: it matters only for a task that builds its indexes after the load.
            try {
                return task.getDefinitionJson() != null && com.datarsync.common.task.SyncTaskDefinitions
                        .parse(task.getDefinitionJson()).target().indexAfterLoad();
            } catch (RuntimeException unreadable) {
                return false;
            }
        }
        Long pending = s.counters() == null ? null : s.counters().get("indexPending");
        return pending != null && pending > 0;
    }

    /** Stages holding the task in a state that still works on it, in release order. */
    private static List<Stage> holding(Map<Stage, Observation> observed) {
        return Stage.SOURCE_FIRST.stream().filter(stage -> {
            Observation o = observed.get(stage);
            return o != null && o.reachable() && o.status() != null;
        }).toList();
    }

    private static List<Stage> sorted(List<Stage> stages) {
        return Stage.END_FIRST.stream().filter(stages::contains).toList();
    }

    private static String labels(List<Stage> stages) {
        return String.join(", ", stages.stream().map(Stage::label).toList());
    }

    private static ErrorCode byCode(String code) {
        return Arrays.stream(ErrorCode.values()).filter(c -> c.code().equals(code)).findFirst().orElse(null);
    }
}
