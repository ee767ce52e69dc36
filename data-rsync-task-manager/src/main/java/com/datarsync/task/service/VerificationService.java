package com.datarsync.task.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.KeyDigest;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.task.domain.EntityComparison;
import com.datarsync.task.domain.Stage;
import com.datarsync.task.domain.SyncTask;
import com.datarsync.task.domain.TaskRun;
import com.datarsync.task.domain.TaskRunLog;
import com.datarsync.task.domain.TaskVerification;
import com.datarsync.task.domain.VerificationReport;
import com.datarsync.task.infra.KafkaTaskTopics;
import com.datarsync.task.infra.StageClient;
import com.datarsync.task.infra.SyncTaskRepository;
import com.datarsync.task.infra.TaskManagerSettings;
import com.datarsync.task.infra.TaskVerificationRepository;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;

/**
 * Compares a task's source with its collection and repairs what differs (docs/tasks.md,
 * "Verification"): the rows per table, the whole key set through digests (the keys of a bucket
 * are listed only where the two sides differ, so millions of rows cost kilobytes), and a random
 * sample of rows field by field and vector by vector, re-embedded by the task's model. The
 * result is stored with the run; a repair sends every missing, ghost and stale row through the
 * data path again, re-read from the source at that moment.
 */
@Service
public class VerificationService {

    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    /** Keys sent per call. */
    private static final int KEYS_PER_CALL = 500;
    /** A verification still RUNNING after this long died with its task manager. */
    private static final Duration ABANDONED = Duration.ofHours(2);
    /** How long a verification after a full sync waits for the snapshot's rows to reach Milvus. */
    private static final Duration DRAIN_WAIT = Duration.ofMinutes(15);

    /** A snapshot completed: the supervisor's news for an automatic verification. */
    public record SnapshotCompleted(String taskId) {
    }

    private final TaskVerificationRepository verifications;
    private final SyncTaskRepository tasks;
    private final RunBook runs;
    private final StageClient stages;
    private final KeyComparison keyComparison;
    private final KafkaTaskTopics topics;
    private final TaskManagerSettings.Verification settings;
    private final ExecutorService worker = Executors.newFixedThreadPool(2, daemon("verification"));
    /** Waits for a snapshot's records to reach Milvus, apart from the verifications themselves. */
    private final ExecutorService drainWaiter = Executors.newCachedThreadPool(daemon("verification-wait"));

    public VerificationService(TaskVerificationRepository verifications, SyncTaskRepository tasks, RunBook runs,
            StageClient stages, KafkaTaskTopics topics, TaskManagerSettings settings) {
        this.verifications = verifications;
        this.tasks = tasks;
        this.runs = runs;
        this.stages = stages;
        this.keyComparison = new KeyComparison(stages);
        this.topics = topics;
        this.settings = settings.verification();
    }

    /** Starts a verification in the background; returns it RUNNING. */
    public TaskVerification start(String taskId, TaskVerification.Trigger trigger, Integer sample) {
        TaskVerification started = begin(taskId, trigger, sample);
        worker.submit(() -> run(started));
        return started;
    }

    /** Verifies now and returns the finished verification (for a scheduled job). */
    public TaskVerification verifyNow(String taskId, TaskVerification.Trigger trigger, Integer sample) {
        return run(begin(taskId, trigger, sample));
    }

    /**
     * Sends every row the verification found missing, ghost or stale through the data path again
     * (in the background): the listener re-reads each from the source now and publishes it (or its
     * delete, when the source no longer holds it) in its row's place among the changes.
     */
    public TaskVerification repair(String taskId, long verificationId) {
        TaskVerification v = get(taskId, verificationId);
        if (v.getState() != TaskVerification.State.DIFFERENT) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Verification " + verificationId + " is " + v.getState()
                    + ": only one that found differences can be repaired", Map.of("verificationId", verificationId), null);
        }
        if (v.getRepairState() == TaskVerification.State.RUNNING) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Verification " + verificationId
                    + " is being repaired already", Map.of("verificationId", verificationId), null);
        }
        v.repairStarted();
        TaskVerification saved = verifications.save(v);
        worker.submit(() -> runRepair(saved));
        return saved;
    }

    public Page<TaskVerification> list(String taskId, int page, int size) {
        task(taskId);
        com.datarsync.common.web.Paging.Page p = com.datarsync.common.web.Paging.of(page, size, 100);
        return verifications.findByTaskIdOrderByIdDesc(taskId, PageRequest.of(p.page(), p.size()));
    }

    public TaskVerification get(String taskId, long verificationId) {
        return verifications.findByIdAndTaskId(verificationId, taskId).orElseThrow(() -> new DataRsyncException(
                ErrorCode.NOT_FOUND, "Task '" + taskId + "' has no verification " + verificationId,
                Map.of("taskId", taskId, "verificationId", verificationId), null));
    }

    /** After a completed snapshot: waits until its rows reached Milvus, then verifies. */
    @EventListener
    public void onSnapshotCompleted(SnapshotCompleted event) {
        if (!settings.afterFullSync()) {
            return;
        }
        drainWaiter.submit(() -> {
            Instant deadline = Instant.now().plus(DRAIN_WAIT);
            try {
                while (topics.backlog(event.taskId()) != 0) {
                    if (Instant.now().isAfter(deadline)) {
                        log.info("Task {}: no verification after the snapshot, its rows did not reach Milvus within {}",
                                event.taskId(), DRAIN_WAIT);
                        return;
                    }
                    Thread.sleep(5_000);
                }
                start(event.taskId(), TaskVerification.Trigger.FULL_SYNC, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (DataRsyncException e) {
                log.info("Task {}: no verification after the snapshot: {}", event.taskId(), e.getMessage());
            }
        });
    }

    private SyncTask task(String taskId) {
        return tasks.findById(taskId).orElseThrow(() -> new DataRsyncException(ErrorCode.NOT_FOUND,
                "No task '" + taskId + "'", Map.of("taskId", taskId), null));
    }

    private synchronized TaskVerification begin(String taskId, TaskVerification.Trigger trigger, Integer sample) {
        task(taskId);
        int size = sample == null ? settings.sample() : sample;
        if (size < 0 || size > 10_000) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "sample: give a number of rows from 0 to 10000",
                    Map.of("field", "sample"), null);
        }
        if (verifications.existsByTaskIdAndStateAndStartedAtAfter(taskId, TaskVerification.State.RUNNING,
                Instant.now().minus(ABANDONED))) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "A verification of task '" + taskId + "' is running",
                    Map.of("taskId", taskId), null);
        }
        Long runId = runs.open(taskId).map(TaskRun::getId).orElse(null);
        return verifications.save(new TaskVerification(taskId, runId, trigger, size));
    }

    private TaskVerification run(TaskVerification v) {
        try {
            SyncTask task = task(v.getTaskId());
            VerificationReport report = compare(task, v.getSampleSize());
            v.finish(report.equal(), JSON.writeValueAsString(report));
            runLog(v, report.equal() ? TaskRunLog.Level.INFO : TaskRunLog.Level.WARN, "Verification " + v.getId()
                    + ": " + report.verdict());
        } catch (DataRsyncException e) {
            v.fail(e.errorCode().code(), e.getMessage());
            runLog(v, TaskRunLog.Level.WARN, "Verification " + v.getId() + " failed: " + e.errorCode().code() + " "
                    + e.getMessage());
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("Verification {} of task {} failed", v.getId(), v.getTaskId(), e);
            v.fail(ErrorCode.INTERNAL_ERROR.code(), "The verification failed: " + e.getMessage());
        }
        return saveIfKept(v);
    }

    private VerificationReport compare(SyncTask task, int sampleSize) {
        SyncTaskDefinition definition = SyncTaskDefinitions.parse(task.getDefinitionJson());
        String full = task.getDefinitionJson();
        JsonNode source = stages.post(Stage.LOG_LISTENER, "/internal/verification/source/keys?sample=" + sampleSize, full);
        Map<String, Long> sourceRows = new LinkedHashMap<>();
        source.path("tables").fields().forEachRemaining(e -> sourceRows.put(e.getKey(), e.getValue().asLong()));
        long sourceTotal = sourceRows.values().stream().mapToLong(Long::longValue).sum();

        List<Integer> differing = new ArrayList<>();
        KeyComparison.Differences keys = null;
        long milvusEntities;
        long milvusRows;
        if (oneEntityPerRow(definition)) {
            // Each source key looked up in Milvus by primary key; when the counts then agree there
            // is no ghost and no scan of the collection is needed.
            Set<String> missing = keyComparison.absentKeys(full);
            milvusEntities = stages.post(Stage.MILVUS_SYNC, "/internal/verification/target/count", full)
                    .path("entities").asLong();
            milvusRows = milvusEntities;
            if (milvusEntities == sourceTotal - missing.size()) {
                keys = new KeyComparison.Differences(missing, new TreeSet<>());
                missing.stream().map(KeyDigest::bucket).distinct().sorted().forEach(differing::add);
            }
        } else {
            milvusEntities = -1;
            milvusRows = -1;
        }
        if (keys == null) {
            // Ghosts to name, or chunked rows: every key of the collection, through the digests.
            JsonNode target = stages.post(Stage.MILVUS_SYNC, "/internal/verification/target/keys", full);
            for (int b = 0; b < KeyDigest.BUCKETS; b++) {
                if (source.path("counts").path(b).asLong() != target.path("counts").path(b).asLong()
                        || source.path("sums").path(b).asLong() != target.path("sums").path(b).asLong()) {
                    differing.add(b);
                }
            }
            keys = keyComparison.differences(full, differing);
            milvusEntities = target.path("entities").asLong();
            milvusRows = target.path("rows").asLong();
        }

        List<String> sample = new ArrayList<>();
        source.path("sample").forEach(k -> sample.add(k.asText()));
        sample.removeAll(keys.missing());
        Map<String, String> rejected = new LinkedHashMap<>();
        List<VerificationReport.StaleRow> stale = compareSample(definition, full, sample, rejected);
        int sampled = sample.size() - rejected.size();

        String verdict = "source " + sourceTotal + " rows, Milvus " + milvusRows + " rows (" + milvusEntities
                + " entities); " + keys.missing().size() + " missing, " + keys.ghosts().size() + " ghosts; "
                + stale.size() + " of " + sampled + " sampled rows stale" + (rejected.isEmpty() ? ""
                : ", " + rejected.size() + " sampled rows not compared (refused by the task, or not read back)");
        return new VerificationReport(sourceRows, sourceTotal, milvusRows, milvusEntities,
                listed(keys.missing()), listed(keys.ghosts()), differing, sampled, stale, rejected, verdict);
    }

    /** Whether each source row is one entity keyed by the row key (no chunks): Milvus can look keys up. */
    private static boolean oneEntityPerRow(SyncTaskDefinition definition) {
        SyncTaskDefinition.Target target = definition.target();
        return target.rowKeyField() == null || target.rowKeyField().equals(target.primaryKeyField());
    }

    /**
     * Reads the sampled rows from the source, has data-process make their entities afresh, and
     * compares them with Milvus' entities of the same rows. A row gone from the source since the
     * keys were read is skipped.
     */
    private List<VerificationReport.StaleRow> compareSample(SyncTaskDefinition definition, String full,
            List<String> sample, Map<String, String> rejected) {
        List<VerificationReport.StaleRow> stale = new ArrayList<>();
        String primaryKeyField = definition.target().primaryKeyField();
        java.util.Set<String> jsonFields = definition.target().scalarFields() == null ? java.util.Set.of()
                : definition.target().scalarFields().stream().filter(f -> "JSON".equals(String.valueOf(f.type())))
                .map(SyncTaskDefinition.ScalarField::name).collect(java.util.stream.Collectors.toSet());
        for (int from = 0; from < sample.size(); from += KEYS_PER_CALL) {
            List<String> keys = sample.subList(from, Math.min(sample.size(), from + KEYS_PER_CALL));
            JsonNode rows = stages.post(Stage.LOG_LISTENER, "/internal/verification/source/rows",
                    KeyComparison.body(full, "keys", keys)).path("rows");
            // Not compared, so said: a key listed a moment ago whose row the source did not give back
            // (deleted meanwhile, or a key value the source cannot be asked for).
            keys.stream().filter(k -> !rows.has(k)).forEach(k -> rejected.put(k, "the source gave no row for this "
                    + "key when read by it (deleted since its keys were listed, or a key it cannot be asked for)"));
            ObjectNode previewBody = JSON.createObjectNode();
            previewBody.set("definition", KeyComparison.readTree(full));
            previewBody.set("rows", rows);
            JsonNode preview = stages.post(Stage.DATA_PROCESS, "/internal/verification/process/preview",
                    previewBody.toString());
            JsonNode held = stages.post(Stage.MILVUS_SYNC, "/internal/verification/target/entities",
                    KeyComparison.body(full, "keys", keys)).path("entities");
            preview.path("rejected").fields().forEachRemaining(e -> rejected.put(e.getKey(), e.getValue().asText()));
            preview.path("entities").fields().forEachRemaining(e -> {
                List<JsonNode> expected = new ArrayList<>();
                e.getValue().forEach(expected::add);
                List<JsonNode> actual = new ArrayList<>();
                held.path(e.getKey()).forEach(actual::add);
                List<String> differences = EntityComparison.differences(expected, actual, primaryKeyField,
                        jsonFields);
                if (!differences.isEmpty()) {
                    stale.add(new VerificationReport.StaleRow(e.getKey(), differences));
                }
            });
        }
        return stale;
    }

    private void runRepair(TaskVerification v) {
        try {
            SyncTask task = task(v.getTaskId());
            String full = task.getDefinitionJson();
            VerificationReport report = JSON.readValue(v.getReportJson(), VerificationReport.class);
            // The key differences are listed again: the stored lists are capped, and rows may have
            // changed since; the stale rows come from the stored sample.
            KeyComparison.Differences keys = keyComparison.differences(full, report.differingBuckets());
            Set<String> rows = new LinkedHashSet<>(keys.missing());
            rows.addAll(keys.ghosts());
            report.stale().forEach(s -> rows.add(s.key()));
            List<String> all = new ArrayList<>(rows);
            long refreshed = 0;
            long deleted = 0;
            for (int from = 0; from < all.size(); from += KEYS_PER_CALL) {
                JsonNode sent = stages.post(Stage.LOG_LISTENER, "/internal/verification/source/republish",
                        KeyComparison.body(full, "keys", all.subList(from, Math.min(all.size(), from + KEYS_PER_CALL))));
                refreshed += sent.path("refreshed").asLong();
                deleted += sent.path("deleted").asLong();
            }
            String summary = "Repair of verification " + v.getId() + ": " + refreshed + " rows re-read from the source "
                    + "and sent again, " + deleted + " rows the source does not hold sent as deletes";
            v.repairEnded(TaskVerification.State.DONE, JSON.writeValueAsString(Map.of("rows", all.size(),
                    "refreshed", refreshed, "deleted", deleted, "summary", summary)));
            runLog(v, TaskRunLog.Level.INFO, summary);
        } catch (DataRsyncException e) {
            v.repairEnded(TaskVerification.State.FAILED, errorJson(e.errorCode().code(), e.getMessage()));
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("Repair of verification {} failed", v.getId(), e);
            v.repairEnded(TaskVerification.State.FAILED, errorJson(ErrorCode.INTERNAL_ERROR.code(), e.getMessage()));
        }
        saveIfKept(v);
    }

    private static String errorJson(String code, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("code", code);
        error.put("message", message);
        return error.toString();
    }

    private void runLog(TaskVerification v, TaskRunLog.Level level, String message) {
        runs.open(v.getTaskId()).or(() -> runs.latest(v.getTaskId())).ifPresent(run -> runs.log(run, level, message));
    }

    private static VerificationReport.Keys listed(Set<String> keys) {
        return new VerificationReport.Keys(keys.size(), keys.stream().limit(VerificationReport.LISTED).toList());
    }

    /** Saves the verification unless its task was deleted meanwhile (with its verifications). */
    private TaskVerification saveIfKept(TaskVerification v) {
        return verifications.existsById(v.getId()) ? verifications.save(v) : v;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    void stop() {
        drainWaiter.shutdownNow();
        worker.shutdownNow();
    }
}
