package com.datarsync.listener.infra;

import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds the Debezium engine configuration of one task. Offsets and schema history go to Redis
 * (Debezium's Redis stores) under keys named after the task, so a restarted listener resumes
 * from where it stopped instead of snapshotting again.
 */
public final class DebeziumProperties {

    private DebeziumProperties() {
    }

    public static String offsetKey(String taskId) {
        return "datarsync:debezium:offsets:" + taskId;
    }

    public static String schemaHistoryKey(String taskId) {
        return "datarsync:debezium:schema-history:" + taskId;
    }

    /**
     * @param snapshotThreads Debezium's {@code snapshot.max.threads}: with more than one, each
     *                        table is split into that many primary-key ranges read at once (a
     *                        task's {@code source.options} may set another number)
     */
    public static Properties of(SyncTaskDefinition task, SourceEndpoint endpoint, String redisAddress,
            String redisPassword, int snapshotThreads) {
        SyncTaskDefinition.Source source = task.source();
        SourceKind kind = endpoint.kind();
        Properties p = new Properties();
        p.setProperty("name", "datarsync-" + task.id());
        p.setProperty("topic.prefix", "drs_" + task.id());
        p.setProperty("offset.storage", "io.debezium.storage.redis.offset.RedisOffsetBackingStore");
        p.setProperty("offset.storage.redis.address", redisAddress);
        p.setProperty("offset.storage.redis.key", offsetKey(task.id()));
        if (redisPassword != null && !redisPassword.isBlank()) {
            p.setProperty("offset.storage.redis.password", redisPassword);
        }
        // Offsets are only flushed for records already acknowledged by Kafka; flushing often keeps
        // the replay after a crash short (replays are absorbed by idempotent Milvus upserts).
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("database.hostname", endpoint.host());
        p.setProperty("database.port", String.valueOf(endpoint.port()));
        p.setProperty("database.user", endpoint.username());
        p.setProperty("database.password", endpoint.password() == null ? "" : endpoint.password());
        p.setProperty("decimal.handling.mode", "string");
        // BIGINT UNSIGNED as its exact value (a decimal of scale 0): as a long, 2^64-1 would be -1.
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        p.setProperty("binary.handling.mode", "base64");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("poll.interval.ms", "100");
        p.setProperty("max.batch.size", "2048");
        // Debezium skips TRUNCATE by default; Milvus must lose the truncated table's rows too.
        p.setProperty("skipped.operations", "none");
        // A source that stays unreachable fails the task after a few tries instead of hanging.
        p.setProperty("errors.max.retries", "3");
        p.setProperty("errors.retry.delay.initial.ms", "500");
        p.setProperty("errors.retry.delay.max.ms", "2000");
        p.setProperty("snapshot.max.threads", Integer.toString(snapshotThreads));
        p.setProperty("snapshot.mode", switch (task.mode()) {
            case FULL -> "initial_only";
            case INCREMENTAL -> "no_data";
            case FULL_AND_INCREMENTAL -> source.incrementalSnapshot() ? "no_data" : "initial";
        });
        String tables = task.tables().stream()
                .map(t -> Pattern.quote(t.qualifiedName(kind, source.database())))
                .collect(Collectors.joining(","));
        if (source.incrementalSnapshot()) {
            // The log streams from the start; the listener asks for the tables (in-process signal)
            // and Debezium reads them a chunk at a time between two watermark rows it writes to the
            // signal table, whose log events close each chunk's window. The signal table is
            // captured for that (its events never reach the change topic: ChangeEventConverter).
            String signal = source.qualifiedSignalTable(kind);
            p.setProperty("signal.enabled.channels", "source,in-process");
            p.setProperty("signal.data.collection", signal);
            p.setProperty("incremental.snapshot.chunk.size", Integer.toString(source.snapshot().chunkSizeOrDefault()));
            // Each window's rows are deleted again: the table stays empty.
            p.setProperty("incremental.snapshot.watermarking.strategy", "insert_delete");
            tables = tables + "," + Pattern.quote(signal);
        }
        // Snapshot progress (initial and incremental) reaches the capture: an initial snapshot of
        // empty tables has no last row to mark its end, only Debezium's notification.
        p.setProperty("notification.enabled.channels", SnapshotNotifications.CHANNEL);
        p.setProperty("table.include.list", tables);
        switch (kind) {
            case MYSQL, MARIADB -> {
                p.setProperty("connector.class", kind == SourceKind.MARIADB
                        ? "io.debezium.connector.mariadb.MariaDbConnector"
                        : "io.debezium.connector.mysql.MySqlConnector");
                p.setProperty("database.include.list", Pattern.quote(source.database()));
                // Each binlog client needs a server id of its own; derive a stable one from the task.
                p.setProperty("database.server.id", String.valueOf(5_400 + Math.floorMod(task.id().hashCode(), 100_000)));
                p.setProperty("include.schema.changes", "false");
                // How soon a lost binlog connection is noticed and reconnected (default: a minute).
                p.setProperty("connect.keep.alive.interval.ms", "5000");
                p.setProperty("schema.history.internal", "io.debezium.storage.redis.history.RedisSchemaHistory");
                p.setProperty("schema.history.internal.redis.address", redisAddress);
                p.setProperty("schema.history.internal.redis.key", schemaHistoryKey(task.id()));
                if (redisPassword != null && !redisPassword.isBlank()) {
                    p.setProperty("schema.history.internal.redis.password", redisPassword);
                }
                p.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
                p.setProperty("database.ssl.mode", "disable");
                // The snapshot's JDBC reads of YEAR: as a date (the driver's default) YEAR 0000
                // fails the driver's own conversion and stops the snapshot; as a number it is 0.
                p.setProperty("driver.yearIsDateType", "false");
                // Debezium reads YEAR 0000 as a two-digit year (2000) whatever enable.time.adjuster says.
                p.setProperty("converters", "year");
                p.setProperty("year.type", YearColumnConverter.class.getName());
            }
            case POSTGRES -> {
                p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
                p.setProperty("database.dbname", source.database());
                p.setProperty("plugin.name", "pgoutput");
                // Intervals as text (ColumnValues rewrites it as PostgreSQL's ISO 8601): as a number
                // of microseconds a month would be taken as 30 days.
                p.setProperty("interval.handling.mode", "string");
                // Each column's source type in its schema: numeric NaN arrives as text ("NAN"),
                // which only the type tells apart from a text column's "NAN".
                p.setProperty("column.propagate.source.type", ".*");
                p.setProperty("slot.name", "drs_" + task.id());
                p.setProperty("publication.name", "drs_" + task.id());
                p.setProperty("publication.autocreate.mode", "filtered");
                // Quiet captured tables must not pin WAL: a heartbeat writes a logical message so
                // the slot's confirmed position keeps moving. Transactional (true), so it reaches
                // the stream at its commit, in commit order. A non-transactional one is streamed at
                // once, ahead of a transaction still open when it was written; when it was the last
                // stored offset at a stop, Debezium's resume skipped that transaction's earlier-LSN
                // changes as already seen (TaskLifecycleIT lost a delete made across a pause).
                p.setProperty("heartbeat.interval.ms", "10000");
                p.setProperty("heartbeat.action.query",
                        "SELECT pg_logical_emit_message(true, 'datarsync-heartbeat', now()::text)");
                // With REPLICA IDENTITY DEFAULT an update logs an unchanged out-of-line (TOAST)
                // value as a placeholder only; Debezium re-reads such columns by the row's key.
                // That is the row as it is now, possibly newer than the change: its own later
                // changes follow in the stream, so Milvus ends equal. A row deleted meanwhile keeps
                // the placeholder ("warn" only logs), and the listener dead-letters that change;
                // the delete follows. NULLs are real values here, never re-read.
                p.setProperty("post.processors", "reselector");
                p.setProperty("reselector.type", "io.debezium.processors.reselect.ReselectColumnsPostProcessor");
                p.setProperty("reselector.reselect.unavailable.values", "true");
                p.setProperty("reselector.reselect.null.values", "false");
                p.setProperty("reselector.reselect.error.handling.mode", "warn");
            }
            default -> throw new IllegalStateException("no capture for " + kind);
        }
        // What Data Rsync sets itself cannot be overridden here (the validator refuses such options).
        if (source.options() != null) {
            source.options().forEach(p::setProperty);
        }
        return p;
    }
}
