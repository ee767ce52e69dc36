package com.datarsync.listener.service;

import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.infra.SourceConnections;
import com.datarsync.listener.infra.SourceEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How many rows a snapshot will read, for its progress in percent: the database's own statistics
 * (InnoDB's TABLE_ROWS, PostgreSQL's reltuples), or an exact count for a table that has none yet.
 * It is an estimate: InnoDB's figure can be off by tens of percent.
 */
final class SnapshotEstimate {

    private SnapshotEstimate() {
    }

    /** The rows the snapshot will read: statistics, or a count where there are none. */
    static long rows(SyncTaskDefinition task, SourceEndpoint endpoint) throws SQLException {
        return rows(task, endpoint, false);
    }

    /** The exact number of rows in the task's tables now. */
    static long exactRows(SyncTaskDefinition task, SourceEndpoint endpoint) throws SQLException {
        return rows(task, endpoint, true);
    }

    private static long rows(SyncTaskDefinition task, SourceEndpoint endpoint, boolean exact) throws SQLException {
        SyncTaskDefinition.Source source = task.source();
        SourceKind kind = endpoint.kind();
        long total = 0;
        try (Connection c = SourceConnections.open(endpoint)) {
            for (SyncTaskDefinition.Table table : task.tables()) {
                String schema = table.schemaOrDefault(kind, source.database());
                long estimate = exact ? -1 : statistics(c, kind, schema, table.table());
                total += estimate > 0 ? estimate : count(c, kind, schema, table.table());
            }
        }
        return total;
    }

    private static long statistics(Connection c, SourceKind kind, String schema, String table) throws SQLException {
        String sql = kind == SourceKind.POSTGRES
                ? "SELECT c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ?"
                : "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, schema);
            q.setString(2, table);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    private static long count(Connection c, SourceKind kind, String schema, String table) throws SQLException {
        String quote = kind == SourceKind.POSTGRES ? "\"" : "`";
        String name = quote + schema.replace(quote, quote + quote) + quote + "." + quote
                + table.replace(quote, quote + quote) + quote;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + name)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }
}
