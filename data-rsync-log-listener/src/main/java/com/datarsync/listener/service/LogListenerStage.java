package com.datarsync.listener.service;

import com.datarsync.common.stage.StageName;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import com.datarsync.common.event.TopicNames;
import com.datarsync.stage.kafka.TopicProvisioner;
import com.datarsync.stage.AbstractTaskStage;
import com.datarsync.stage.TaskProgress;
import com.datarsync.common.task.FieldViolation;
import com.datarsync.common.task.InvalidTaskDefinitionException;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.infra.DataSourceConnections;
import com.datarsync.listener.infra.DebeziumProperties;
import com.datarsync.listener.infra.SnapshotKeySplits;
import com.datarsync.listener.infra.SourceConnections;
import com.datarsync.listener.infra.SourceEndpoint;
import com.datarsync.listener.infra.SourceRequirements;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/** The listener's side of a task: one Debezium engine per task, publishing to its change topic. */
@Service
public class LogListenerStage extends AbstractTaskStage {

    private static final Logger log = LoggerFactory.getLogger(LogListenerStage.class);

    private final AcknowledgedPublisher publisher;
    private final TopicProvisioner topics;
    private final String redisAddress;
    private final String redisPassword;
    private final CaptureCleanup cleanup;
    private final StringRedisTemplate redis;
    private final IncrementalSnapshotRequests snapshotRequests;
    private final DataSourceConnections sources;
    /** Snapshot readers per task; a table of several chunks is read by several at once. */
    private final int snapshotThreads;

    public LogListenerStage(AcknowledgedPublisher publisher, TopicProvisioner topics, StringRedisTemplate redis,
            DataSourceConnections sources,
            @Value("${spring.data.redis.host}:${spring.data.redis.port}") String redisAddress,
            @Value("${spring.data.redis.password:}") String redisPassword,
            @Value("${datarsync.listener.snapshot-threads}") int snapshotThreads) {
        this.sources = sources;
        this.snapshotThreads = snapshotThreads;
        this.publisher = publisher;
        this.topics = topics;
        this.redisAddress = redisAddress;
        this.redisPassword = redisPassword;
        this.cleanup = new CaptureCleanup(redis);
        this.snapshotRequests = new IncrementalSnapshotRequests(redis);
        this.redis = redis;
    }

    @Override
    public String name() {
        return StageName.LOG_LISTENER.label();
    }

    /**
     * Refuses a data source that is unknown, disabled or changed under the task, a login the
     * source refuses, and a source whose log would not carry every value of a change
     * ({@link SourceRequirements}). A source that cannot be reached now is not refused here: the capture then reports it (DRS-5031) and
     * the check runs again on the next start.
     */
    @Override
    public void check(SyncTaskDefinition definition) {
        SourceEndpoint endpoint = sources.endpoint(definition, true);
        List<FieldViolation> problems;
        try (Connection connection = SourceConnections.open(endpoint)) {
            problems = SourceRequirements.check(definition, connection);
        } catch (SQLException e) {
            if (CaptureFailures.loginRefused(e.getMessage()) || "28000".equals(e.getSQLState())
                    || "28P01".equals(e.getSQLState())) {
                throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "The source refused the login of data source "
                        + endpoint.dataSourceId() + " (user " + endpoint.username() + "): correct its credential "
                        + "(PUT /api/datasources/" + endpoint.dataSourceId() + ")",
                        Map.of("dataSourceId", endpoint.dataSourceId()), null);
            }
            log.info("Source requirements of task {} not checked now: {}", definition.id(), e.getMessage());
            return;
        }
        if (!problems.isEmpty()) {
            throw new InvalidTaskDefinitionException(problems);
        }
    }

    /** Capture depends on where rows come from and which; the target side is not its business. */
    @Override
    public Object usedPart(SyncTaskDefinition definition) {
        return List.of(definition.mode(), definition.source(), definition.tables());
    }

    @Override
    public List<String> cleanUp(SyncTaskDefinition definition, boolean dropTarget) {
        return cleanup.remove(definition, sources.endpoint(definition, false));
    }

    private static void estimateSnapshot(SyncTaskDefinition definition, SourceEndpoint endpoint, TaskProgress progress) {
        try {
            progress.set("snapshotRowsEstimate", SnapshotEstimate.rows(definition, endpoint));
        } catch (SQLException | RuntimeException e) {
            log.warn("No snapshot estimate for task {}: {}", definition.id(), e.getMessage());
        }
    }

    /**
     * Debezium splits a table into key ranges only where the key's bounds travel exactly
     * (SnapshotKeySplits); otherwise the whole snapshot is read by one thread, whatever the
     * setting or the task's options say, and the status says why. Without an answer from the
     * source it is read by one thread too.
     */
    private static void readByOneThreadWhereKeysCannotSplit(SyncTaskDefinition definition, SourceEndpoint endpoint,
            Properties properties, TaskProgress progress) {
        if (Integer.parseInt(properties.getProperty("snapshot.max.threads", "1")) <= 1) {
            return;
        }
        List<String> unsplittable;
        try (Connection connection = SourceConnections.open(endpoint)) {
            unsplittable = SnapshotKeySplits.unsplittable(definition, endpoint.kind(), connection);
        } catch (SQLException e) {
            unsplittable = List.of("(the key types could not be read: " + e.getMessage() + ")");
        }
        if (!unsplittable.isEmpty()) {
            properties.setProperty("snapshot.max.threads", "1");
            progress.warn("the snapshot is read by one thread: the keys " + unsplittable + " cannot be split into "
                    + "ranges exactly");
        }
    }

    /** Puts the replica identities that cost a query per update in the task status (SourceRequirements). */
    private static void warnAboutIdentities(SyncTaskDefinition definition, SourceEndpoint endpoint,
            TaskProgress progress) {
        try (Connection connection = SourceConnections.open(endpoint)) {
            SourceRequirements.identityWarnings(definition, connection).forEach(progress::warn);
        } catch (SQLException | RuntimeException e) {
            log.warn("Replica identities of task {} not read: {}", definition.id(), e.getMessage());
        }
    }

    @Override
    public Map<String, Long> measure(SyncTaskDefinition definition) {
        SourceVerification.refuseFiltered(definition);
        try {
            return Map.of("sourceRows", SnapshotEstimate.exactRows(definition, sources.endpoint(definition, false)));
        } catch (SQLException e) {
            throw new DataRsyncException(ErrorCode.SOURCE_UNREACHABLE, "The source cannot be counted: "
                    + e.getMessage(), Map.of("taskId", definition.id()), null);
        }
    }

    /**
     * A PostgreSQL task that stored a position but whose replication slot is gone (dropped behind
     * its back): Debezium would create a new slot at the current position and skip everything in
     * between, so the task fails closed instead. Null when there is nothing wrong (or the source
     * cannot be asked now: the capture then reports that).
     */
    private String lostSlot(SyncTaskDefinition definition, SourceEndpoint endpoint, Properties properties) {
        if (!"postgres".equals(definition.source().kind())
                || !Boolean.TRUE.equals(redis.hasKey(DebeziumProperties.offsetKey(definition.id())))) {
            return null;
        }
        String slot = properties.getProperty("slot.name");
        try (Connection c = SourceConnections.open(endpoint);
             java.sql.PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? null : "The replication slot " + slot + " that held the task's position is gone; "
                        + "the changes since it was dropped are lost to the log: run a full sync "
                        + "(POST /api/tasks/{id}/full-sync) to read the tables again and remove what they no longer hold";
            }
        } catch (SQLException e) {
            return null;
        }
    }

    @Override
    protected Runner launch(SyncTaskDefinition definition, TaskProgress progress) {
        SourceEndpoint endpoint = sources.endpoint(definition, true);
        Properties properties = DebeziumProperties.of(definition, endpoint, redisAddress, redisPassword, snapshotThreads);
        if (definition.mode() != SyncTaskDefinition.Mode.INCREMENTAL) {
            readByOneThreadWhereKeysCannotSplit(definition, endpoint, properties, progress);
        }
        String lost = lostSlot(definition, endpoint, properties);
        if (lost != null) {
            progress.failed(ErrorCode.POSITION_LOST, lost);
            return null;
        }
        topics.ensure(List.of(TopicNames.changes(definition.id()), TopicNames.deadLetters(definition.id())),
                definition.partitions());
        IncrementalSnapshotRequests requests = null;
        if (definition.source().incrementalSnapshot()) {
            requests = snapshotRequests;
            if (!Boolean.TRUE.equals(redis.hasKey(DebeziumProperties.offsetKey(definition.id())))) {
                // No position yet (first start, or a full sync removed it): every table is read.
                requests.request(definition.id(), IncrementalSnapshotRequests.allTables(definition));
            }
        }
        CaptureEngine engine = new CaptureEngine(definition, properties, publisher, progress, requests);
        engine.start();
        if (definition.mode() != SyncTaskDefinition.Mode.INCREMENTAL) {
            progress.metrics().counterOf("datarsync.snapshot.rows", "Rows the snapshot has read and published",
                    () -> progress.counter("snapshotRecords"));
            progress.metrics().gaugeOf("datarsync.snapshot.rows.estimate", "Rows the snapshot's tables hold, from "
                    + "the source's statistics", () -> progress.counter("snapshotRowsEstimate"));
            // Off the start path: a slow count must not delay the capture.
            CompletableFuture.runAsync(() -> estimateSnapshot(definition, endpoint, progress));
        }
        if (definition.source().kind().equals("postgres")) {
            CompletableFuture.runAsync(() -> warnAboutIdentities(definition, endpoint, progress));
        }
        return engine;
    }

    /** The listener's limit is on change events published per second. */
    @Override
    protected Map<String, Integer> rateLimits(SyncTaskDefinition.Limits limits) {
        return limits == null || limits.eventsPerSecond() == null ? Map.of()
                : Map.of(CaptureEngine.EVENTS, limits.eventsPerSecond());
    }

    /**
     * Asks the task's running capture to read tables again beside its stream (an incremental
     * snapshot); {@code tables} name captured tables as {@code table} or {@code schema.table},
     * empty for all. Returns the tables requested, as Debezium names them.
     */
    public List<String> resnapshot(String taskId, List<String> tables) {
        CaptureEngine engine = runner(taskId).filter(CaptureEngine.class::isInstance).map(CaptureEngine.class::cast)
                .orElseThrow(() -> new DataRsyncException(ErrorCode.CONFLICT, "Task '" + taskId
                        + "' is not running in this log-listener", Map.of("taskId", taskId), null));
        SyncTaskDefinition definition = engine.definition();
        if (!definition.source().incrementalSnapshot()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Task '" + taskId + "' reads its tables in one blocking "
                    + "snapshot; set source.snapshot.method INCREMENTAL to re-read tables while it streams, or run a "
                    + "full sync", Map.of("taskId", taskId), null);
        }
        List<String> known = IncrementalSnapshotRequests.allTables(definition);
        List<String> chosen = new ArrayList<>();
        for (String asked : tables == null ? List.<String>of() : tables) {
            String match = known.stream().filter(k -> k.equals(asked) || k.endsWith("." + asked)).findFirst()
                    .orElseThrow(() -> new DataRsyncException(ErrorCode.VALIDATION_FAILED, "Task '" + taskId
                            + "' captures no table '" + asked + "'; it captures " + known, Map.of("taskId", taskId),
                            null));
            if (!chosen.contains(match)) {
                chosen.add(match);
            }
        }
        List<String> requested = chosen.isEmpty() ? known : chosen;
        engine.resnapshot(requested);
        return requested;
    }
}
