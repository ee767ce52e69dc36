package com.datarsync.task.domain;

import com.datarsync.common.task.SyncTaskDefinition;
import java.util.Arrays;
import java.util.List;

/**
 * The one place that decides what an operator's (or a schedule's) command does to a task in
 * each state: a new desired state, whether the stages restart under a new generation, whether a
 * run begins or the open one goes on, or a refusal with the reason (409). docs/tasks.md has the
 * table; {@code TaskLifecycleTest} checks every row. Observed states are the supervisor's to write;
 * this class only reads them.
 */
public final class TaskLifecycle {

    /** The commands of the task API, by the last segment of their path. */
    public enum Action {
        START("start"), PAUSE("pause"), RESUME("resume"), STOP("stop"), RESTART("restart"),
        FULL_SYNC("full-sync"), RESNAPSHOT("resnapshot"), DELETE("delete");

        private final String path;

        Action(String path) {
            this.path = path;
        }

        /** How the API and the console name it ({@code allowedActions}). */
        public String path() {
            return path;
        }
    }

    /** What happens to the task's runs. */
    public enum RunChange {
        /** Nothing about runs changes. */
        NONE,
        /** A new run begins (the open one, if any, is superseded). */
        NEW,
        /** The open run goes on (a paused task resumed). */
        CONTINUE
    }

    /**
     * The decision for one command in one state.
     *
     * @param applies       false for a refusal ({@link #reason}) or a no-op
     * @param noOp          the task is already where the command would take it: 200, nothing changes
     * @param desired       the desired state afterwards
     * @param newGeneration every stage restarts its work under a new generation
     * @param run           what happens to the runs
     * @param reason        why the command is refused, with what to do instead
     */
    public record Transition(Action action, boolean applies, boolean noOp, DesiredState desired, boolean newGeneration,
            RunChange run, String reason) {

        static Transition apply(Action action, DesiredState desired, boolean newGeneration, RunChange run) {
            return new Transition(action, true, false, desired, newGeneration, run, null);
        }

        static Transition noOp(Action action, DesiredState desired) {
            return new Transition(action, false, true, desired, false, RunChange.NONE, null);
        }

        static Transition refuse(Action action, DesiredState desired, String reason) {
            return new Transition(action, false, false, desired, false, RunChange.NONE, reason);
        }

        public boolean refused() {
            return !applies && !noOp;
        }
    }

    /** The facts a decision depends on besides the state. */
    public record Facts(SyncTaskDefinition.Mode mode, boolean incrementalSnapshot) {
        public static Facts of(SyncTaskDefinition definition) {
            return new Facts(definition.mode(), definition.source().incrementalSnapshot());
        }
    }

    private TaskLifecycle() {
    }

    /**
     * The state a decision is made in: the observed state, except that a task whose desired state
     * is no longer RUNNING while it is still seen in an active state is on its way out (STOPPING).
     */
    static SyncTaskState effective(SyncTaskState state, DesiredState desired) {
        boolean active = switch (state) {
            case WAITING, QUEUED, STARTING, RUNNING, RETRYING -> true;
            default -> false;
        };
        return active && desired != DesiredState.RUNNING ? SyncTaskState.STOPPING : state;
    }

    public static Transition decide(SyncTaskState observed, DesiredState desired, Action action, Facts facts) {
        SyncTaskState state = effective(observed, desired);
        boolean active = switch (state) {
            case WAITING, QUEUED, STARTING, RUNNING, RETRYING -> true;
            default -> false;
        };
        boolean pausing = state == SyncTaskState.STOPPING && desired == DesiredState.PAUSED;
        boolean paused = state == SyncTaskState.PAUSED || pausing;
        return switch (action) {
            case START -> {
                if (active) {
                    yield Transition.noOp(action, desired);
                }
                if (paused) {
                    yield Transition.apply(action, DesiredState.RUNNING, false, RunChange.CONTINUE);
                }
                if (state == SyncTaskState.COMPLETED) {
                    yield Transition.refuse(action, desired, "the task completed its snapshot; run a full sync to "
                            + "read the tables again");
                }
                // CREATED, STOPPED, FAILED, and a task still stopping: a new run.
                yield Transition.apply(action, DesiredState.RUNNING, false, RunChange.NEW);
            }
            case RESUME -> {
                if (paused) {
                    yield Transition.apply(action, DesiredState.RUNNING, false, RunChange.CONTINUE);
                }
                if (active) {
                    yield Transition.noOp(action, desired);
                }
                yield Transition.refuse(action, desired, "the task is " + state + ", not paused; start it");
            }
            case PAUSE -> {
                if (active) {
                    yield Transition.apply(action, DesiredState.PAUSED, false, RunChange.NONE);
                }
                if (paused) {
                    yield Transition.noOp(action, desired);
                }
                yield Transition.refuse(action, desired, switch (state) {
                    case STOPPING -> "the task is being stopped; only a running task can be paused";
                    case FAILED -> "the task FAILED; restart it, run a full sync or stop it";
                    default -> "the task is " + state + "; only a running task can be paused";
                });
            }
            case STOP -> {
                if (state == SyncTaskState.CREATED || state == SyncTaskState.STOPPED
                        || (state == SyncTaskState.STOPPING && desired == DesiredState.STOPPED)) {
                    yield Transition.noOp(action, desired);
                }
                yield Transition.apply(action, DesiredState.STOPPED, false, RunChange.NONE);
            }
            case RESTART -> {
                if (active || state == SyncTaskState.FAILED) {
                    yield Transition.apply(action, DesiredState.RUNNING, true, RunChange.NEW);
                }
                yield Transition.refuse(action, desired, switch (state) {
                    case CREATED -> "the task was never started; start it";
                    case PAUSED -> "the task is paused; resume it";
                    case STOPPING -> pausing ? "the task is being paused; resume it" : "the task is being stopped; start it";
                    case COMPLETED -> "the task completed its snapshot; run a full sync to read the tables again";
                    default -> "the task is " + state + "; start it";
                });
            }
            case FULL_SYNC -> {
                if (facts.mode() == SyncTaskDefinition.Mode.INCREMENTAL) {
                    yield Transition.refuse(action, desired, "the task is INCREMENTAL: it reads no snapshot, so there "
                            + "is no full sync to run");
                }
                if (paused) {
                    yield Transition.refuse(action, desired, "the task is paused; resume it first (a schedule does not "
                            + "run a paused task either)");
                }
                if (state == SyncTaskState.STOPPING) {
                    yield Transition.refuse(action, desired, "the task is being stopped; wait until it is STOPPED");
                }
                // Running, stopped, never started (a scheduled FULL task's first run), completed or failed.
                yield Transition.apply(action, DesiredState.RUNNING, true, RunChange.NEW);
            }
            case RESNAPSHOT -> {
                if (!facts.incrementalSnapshot()) {
                    yield Transition.refuse(action, desired, "the task reads its tables in one blocking snapshot; set "
                            + "source.snapshot.method INCREMENTAL to re-read tables while it streams, or run a full sync");
                }
                if (state == SyncTaskState.STARTING || state == SyncTaskState.RUNNING
                        || state == SyncTaskState.RETRYING) {
                    yield Transition.apply(action, desired, false, RunChange.NONE);
                }
                yield Transition.refuse(action, desired, "the task is " + state + "; only a running task re-reads its "
                        + "tables beside the stream");
            }
            case DELETE -> Transition.apply(action, DesiredState.STOPPED, false, RunChange.NONE);
        };
    }

    /** The paths of the actions that change something for the task now: what its answers carry and the console offers. */
    public static List<String> allowedActions(SyncTask task) {
        return allowedActions(task.getState(), task.getDesiredState(), task.lifecycleFacts()).stream()
                .map(Action::path).toList();
    }

    /** The actions that change something in this state, in the order of {@link Action}. */
    public static List<Action> allowedActions(SyncTaskState observed, DesiredState desired, Facts facts) {
        return Arrays.stream(Action.values()).filter(a -> decide(observed, desired, a, facts).applies()).toList();
    }
}
