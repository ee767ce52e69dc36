package com.datarsync.listener.service;

import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.infra.DebeziumProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The tables a task's incremental snapshot still has to read, kept in Redis until Debezium says
 * the snapshot is complete. Debezium keeps a running incremental snapshot's progress (the tables
 * left, the last key read) in the offsets it stores with each chunk; what it cannot keep is a
 * request it has not started on yet. So a request is noted here before it is signalled, and at
 * each start a noted request is signalled again unless the stored offsets already carry the
 * snapshot (then Debezium resumes it from its last chunk by itself).
 */
final class IncrementalSnapshotRequests {

    /** The offset field Debezium stores while an incremental snapshot runs. */
    private static final String RUNNING_MARK = "incremental_snapshot_collections";

    private final StringRedisTemplate redis;

    IncrementalSnapshotRequests(StringRedisTemplate redis) {
        this.redis = redis;
    }

    static String key(String taskId) {
        return "datarsync:debezium:snapshot-requests:" + taskId;
    }

    /** Every captured table, as Debezium names them. */
    static List<String> allTables(SyncTaskDefinition task) {
        SourceKind kind = SourceKind.byId(task.source().kind()).orElseThrow();
        return task.tables().stream().map(t -> t.qualifiedName(kind, task.source().database())).toList();
    }

    /** Notes tables to read (added to any request not finished yet). */
    void request(String taskId, List<String> tables) {
        redis.opsForSet().add(key(taskId), tables.toArray(String[]::new));
    }

    /** The tables requested and not yet finished, in a stable order. */
    List<String> pending(String taskId) {
        Set<String> members = redis.opsForSet().members(key(taskId));
        return members == null ? List.of() : new ArrayList<>(new java.util.TreeSet<>(members));
    }

    /**
     * The requested tables Debezium must be asked for: those its stored offsets do not name in a
     * running incremental snapshot (which it resumes from its last chunk by itself).
     */
    List<String> toSignal(String taskId) {
        List<String> pending = pending(taskId);
        if (pending.isEmpty()) {
            return pending;
        }
        List<String> running = redis.opsForHash().values(DebeziumProperties.offsetKey(taskId)).stream()
                .map(String::valueOf).filter(v -> v.contains(RUNNING_MARK)).toList();
        return pending.stream().filter(table -> running.stream().noneMatch(v -> v.contains(table))).toList();
    }

    void finished(String taskId) {
        redis.delete(key(taskId));
    }
}
