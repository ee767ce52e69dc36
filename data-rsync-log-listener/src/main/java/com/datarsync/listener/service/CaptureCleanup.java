package com.datarsync.listener.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.infra.DebeziumProperties;
import com.datarsync.listener.infra.SourceConnections;
import com.datarsync.listener.infra.SourceEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Removes what capturing a task left behind once the task is deleted: Debezium's offsets and
 * schema history in Redis and, for PostgreSQL, the replication slot (which would pin WAL for
 * ever) and the publication. Each step is idempotent.
 */
final class CaptureCleanup {

    private final StringRedisTemplate redis;

    CaptureCleanup(StringRedisTemplate redis) {
        this.redis = redis;
    }

    List<String> remove(SyncTaskDefinition task, SourceEndpoint endpoint) {
        List<String> removed = new ArrayList<>();
        for (String key : List.of(DebeziumProperties.offsetKey(task.id()), DebeziumProperties.schemaHistoryKey(task.id()),
                IncrementalSnapshotRequests.key(task.id()))) {
            if (Boolean.TRUE.equals(redis.delete(key))) {
                removed.add("redis key " + key);
            }
        }
        if (SourceKind.byId(task.source().kind()).orElseThrow() == SourceKind.POSTGRES) {
            removed.addAll(dropSlotAndPublication(task, endpoint));
        }
        return removed;
    }

    private static List<String> dropSlotAndPublication(SyncTaskDefinition task, SourceEndpoint endpoint) {
        String name = "drs_" + task.id();
        List<String> removed = new ArrayList<>();
        try (Connection c = SourceConnections.open(endpoint)) {
            // The engine was just closed: its walsender may take a few seconds to let the slot go.
            Boolean active = slotActive(c, name);
            for (int attempt = 0; Boolean.TRUE.equals(active) && attempt < 30; attempt++) {
                Thread.sleep(500);
                active = slotActive(c, name);
            }
            if (Boolean.TRUE.equals(active)) {
                throw new DataRsyncException(ErrorCode.CONFLICT, "Replication slot " + name
                        + " is still in use by a walsender; try the delete again", Map.of("taskId", task.id()), null);
            }
            if (active != null) {
                try (PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    drop.setString(1, name);
                    drop.execute();
                }
                removed.add("replication slot " + name);
            }
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
                q.setString(1, name);
                try (ResultSet r = q.executeQuery(); Statement s = c.createStatement()) {
                    if (r.next()) {
                        // The name is "drs_" + a task id, which the validator holds to [a-z0-9_].
                        s.execute("DROP PUBLICATION IF EXISTS " + name);
                        removed.add("publication " + name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DataRsyncException(ErrorCode.SOURCE_UNREACHABLE, "Cannot remove the replication slot and "
                    + "publication " + name + ": " + e.getMessage(), Map.of("taskId", task.id()), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return removed;
    }

    /** Whether the slot is in use; null when there is no such slot. */
    private static Boolean slotActive(Connection c, String slot) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            q.setString(1, slot);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getBoolean(1) : null;
            }
        }
    }
}
