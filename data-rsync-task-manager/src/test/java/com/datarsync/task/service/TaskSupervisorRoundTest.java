package com.datarsync.task.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.stage.TaskState;
import com.datarsync.common.stage.TaskStatus;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.common.testsupport.SampleTaskDefinitions;
import com.datarsync.task.domain.DesiredState;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.SyncTaskState;
import com.datarsync.task.infra.StageClient;
import com.datarsync.task.infra.SyncTaskRepository;
import com.datarsync.task.infra.TaskManagerSettings;
import com.datarsync.task.infra.TaskRunLogRepository;
import com.datarsync.task.infra.TaskRunRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's reconcile round, carried out against a scripted stage client (what each stage
 * reports, what it answers to an assignment) and in-memory task storage: the assignments and
 * releases it sends, and the state, retries and back-off it records. {@code ReconcilerTest} checks
 * the rules one by one; this checks that a round acts on them.
 */
class TaskSupervisorRoundTest {

    private static final Duration BACKOFF = Duration.ofMillis(300);
    private static final Duration BUDGET = Duration.ofMillis(1_500);

    private final Map<String, SyncTask> stored = new HashMap<>();
    private final ScriptedStages stages = new ScriptedStages();
    private TaskSupervisor supervisor;
    private SyncTask task;

    @BeforeEach
    void setUp() {
        TaskManagerSettings settings = new TaskManagerSettings(Duration.ofSeconds(5), BACKOFF, BACKOFF.multipliedBy(4),
                BUDGET, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1), null, null, 2,
                new TaskManagerSettings.XxlJob("", "", 0, "/tmp"));
        supervisor = new TaskSupervisor(inMemoryTasks(), stages, null,
                new RunBook(empty(TaskRunRepository.class), empty(TaskRunLogRepository.class)), settings, event -> { },
                new TaskMeters(new SimpleMeterRegistry()));
        task = new SyncTask("articles", SyncTaskDefinitions.parse(SampleTaskDefinitions.articles("INCREMENTAL")));
        task.want(DesiredState.RUNNING);
        supervisor.admit(task);
        stored.put(task.getId(), task);
    }

    @Test
    void aTaskToRunIsAssignedToEveryStageAndRunsOnceEveryStageRunsIt() {
        SyncTask after = supervisor.reconcileNow(task);
        assertThat(stages.assigned).containsExactlyInAnyOrder(Stage.values());
        assertThat(after.getState()).isEqualTo(SyncTaskState.STARTING);

        stages.assigned.clear();
        stages.all(TaskState.RUNNING, null);
        after = supervisor.reconcileNow(after);
        assertThat(after.getState()).isEqualTo(SyncTaskState.RUNNING);
        assertThat(stages.assigned).as("nothing to assign while every stage runs the generation").isEmpty();
        assertThat(stored.get("articles").getState()).as("saved").isEqualTo(SyncTaskState.RUNNING);
    }

    @Test
    void aRetriableFailureIsAssignedAgainAfterItsBackOffAndFailsTheTaskPastTheBudget() throws Exception {
        supervisor.reconcileNow(task);
        stages.all(TaskState.RUNNING, null);
        supervisor.reconcileNow(task);
        stages.report(Stage.MILVUS_SYNC, TaskState.FAILED, ErrorCode.TARGET_UNAVAILABLE);
        stages.assigned.clear();

        SyncTask after = supervisor.reconcileNow(task);
        assertThat(after.getState()).isEqualTo(SyncTaskState.RETRYING);
        assertThat(after.getStateCode()).isEqualTo("DRS-5032");
        assertThat(after.getRetryAttempts()).isEqualTo(1);
        Instant next = after.getNextRetryAt();
        assertThat(next).isAfter(Instant.now());
        after = supervisor.reconcileNow(after);
        assertThat(stages.assigned).as("not again within the back-off").isEmpty();

        Thread.sleep(Duration.between(Instant.now(), next).toMillis() + 50);
        after = supervisor.reconcileNow(after);
        assertThat(stages.assigned).as("assigned again once the back-off is over").containsExactly(Stage.MILVUS_SYNC);
        assertThat(after.getRetryAttempts()).isEqualTo(2);
        assertThat(after.getNextRetryAt()).as("the back-off doubles")
                .isAfterOrEqualTo(Instant.now().plus(BACKOFF.multipliedBy(2)).minusMillis(100));

        stages.report(Stage.MILVUS_SYNC, TaskState.FAILED, ErrorCode.TARGET_UNAVAILABLE);
        Thread.sleep(BUDGET.toMillis() + 100);
        after = supervisor.reconcileNow(after);
        assertThat(after.getState()).isEqualTo(SyncTaskState.FAILED);
        assertThat(after.getStateMessage()).startsWith("Gave up after retrying");
        assertThat(stages.released).as("every stage lets go of a FAILED task").containsExactlyInAnyOrder(Stage.values());
    }

    @Test
    void aPermanentFailureFailsTheTaskAtOnceAndReleasesEveryStage() {
        supervisor.reconcileNow(task);
        stages.all(TaskState.RUNNING, null);
        stages.report(Stage.DATA_PROCESS, TaskState.FAILED, ErrorCode.VALIDATION_FAILED);
        SyncTask after = supervisor.reconcileNow(task);
        assertThat(after.getState()).isEqualTo(SyncTaskState.FAILED);
        assertThat(after.getStateCode()).isEqualTo("DRS-4000");
        assertThat(stages.released).containsExactlyInAnyOrder(Stage.values());
        stages.assigned.clear();
        after = supervisor.reconcileNow(after);
        assertThat(after.getState()).as("FAILED stays until an operator acts").isEqualTo(SyncTaskState.FAILED);
        assertThat(stages.assigned).isEmpty();
    }

    @Test
    void aStageWithNoInstanceAnsweringMakesTheTaskRetryingWithTheReason() {
        supervisor.reconcileNow(task);
        stages.all(TaskState.RUNNING, null);
        stages.unreachable.add(Stage.LOG_LISTENER);
        SyncTask after = supervisor.reconcileNow(task);
        assertThat(after.getState()).isEqualTo(SyncTaskState.RETRYING);
        assertThat(after.getStateCode()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE.code());
        assertThat(after.getStateMessage()).contains("no instance answers");
        stages.unreachable.clear();
        assertThat(supervisor.reconcileNow(after).getState()).as("back by itself").isEqualTo(SyncTaskState.RUNNING);
    }

    @Test
    void anAssignmentAStageRefusesFailsTheTask() {
        stages.refuse.put(Stage.LOG_LISTENER, ErrorCode.VALIDATION_FAILED);
        SyncTask after = supervisor.reconcileNow(task);
        assertThat(after.getState()).isEqualTo(SyncTaskState.FAILED);
        assertThat(after.getStateMessage()).startsWith("log-listener refused the task");
    }

    @Test
    void aStoppedTaskIsReleasedEverywhereAndThenStopped() {
        supervisor.reconcileNow(task);
        stages.all(TaskState.RUNNING, null);
        supervisor.reconcileNow(task);
        task.want(DesiredState.STOPPED);
        SyncTask after = supervisor.reconcileNow(task);
        assertThat(stages.released).containsExactlyInAnyOrder(Stage.values());
        assertThat(after.getState()).isIn(SyncTaskState.STOPPING, SyncTaskState.STOPPED);
        assertThat(supervisor.reconcileNow(after).getState()).isEqualTo(SyncTaskState.STOPPED);
    }

    /** Each stage as one instance whose report and answers the test sets. */
    private final class ScriptedStages extends StageClient {

        final Map<Stage, TaskStatus> held = new EnumMap<>(Stage.class);
        final List<Stage> assigned = new ArrayList<>();
        final List<Stage> released = new ArrayList<>();
        final java.util.Set<Stage> unreachable = java.util.EnumSet.noneOf(Stage.class);
        final Map<Stage, ErrorCode> refuse = new EnumMap<>(Stage.class);

        ScriptedStages() {
            super(null, new TaskManagerSettings(Duration.ofSeconds(5), BACKOFF, BACKOFF, BUDGET, null,
                    Duration.ofSeconds(1), Duration.ofSeconds(1), null, null, 2,
                    new TaskManagerSettings.XxlJob("", "", 0, "/tmp")), "unit");
        }

        private static Instance instance(Stage stage) {
            return new Instance(stage, URI.create("http://127.0.0.1:1/" + stage.label()));
        }

        void all(TaskState state, ErrorCode code) {
            for (Stage stage : Stage.values()) {
                report(stage, state, code);
            }
        }

        void report(Stage stage, TaskState state, ErrorCode code) {
            held.put(stage, new TaskStatus(task.getId(), stage.label(), task.getGeneration(), state,
                    code == null ? null : code.code(), code == null ? null : "scripted " + state, Map.of(),
                    Instant.now(), Instant.now(), Instant.now()));
        }

        @Override
        public List<Instance> instances(Stage stage) {
            return unreachable.contains(stage) ? List.of() : List.of(instance(stage));
        }

        @Override
        public Map<Stage, List<Holdings>> holdings(Map<Stage, Integer> missing) {
            Map<Stage, List<Holdings>> out = new HashMap<>();
            for (Stage stage : Stage.values()) {
                if (unreachable.contains(stage)) {
                    missing.put(stage, 1);
                    out.put(stage, List.of());
                } else {
                    TaskStatus status = held.get(stage);
                    out.put(stage, List.of(new Holdings(instance(stage), status == null ? List.of() : List.of(status))));
                }
            }
            return out;
        }

        @Override
        public TaskStatus assign(Instance instance, String taskId, long generation, String definitionJson) {
            ErrorCode refused = refuse.get(instance.stage());
            if (refused != null) {
                throw new DataRsyncException(refused, "scripted refusal", Map.of(), null);
            }
            assigned.add(instance.stage());
            report(instance.stage(), TaskState.STARTING, null);
            return held.get(instance.stage());
        }

        @Override
        public void release(Instance instance, String taskId) {
            released.add(instance.stage());
            held.remove(instance.stage());
        }
    }

    /** Task storage in a map: what the supervisor reads and saves. */
    private SyncTaskRepository inMemoryTasks() {
        return (SyncTaskRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SyncTaskRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "findAll" -> List.copyOf(stored.values());
                    case "findById" -> Optional.ofNullable(stored.get((String) args[0]));
                    case "save" -> {
                        SyncTask t = (SyncTask) args[0];
                        stored.put(t.getId(), t);
                        yield t;
                    }
                    case "existsById" -> stored.containsKey((String) args[0]);
                    case "toString" -> "in-memory tasks";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A repository that holds nothing: the task has no open run here. */
    @SuppressWarnings("unchecked")
    private static <T> T empty(Class<T> type) {
        return (T) Proxy.newProxyInstance(TaskSupervisorRoundTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getReturnType() == Optional.class) {
                        return Optional.empty();
                    }
                    if (method.getReturnType() == List.class) {
                        return List.of();
                    }
                    if (method.getName().equals("save")) {
                        return args[0];
                    }
                    if (method.getName().equals("toString")) {
                        return "empty " + type.getSimpleName();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
