package com.datarsync.listener.infra;

import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which captured tables Debezium may read as several primary-key ranges at once
 * ({@code snapshot.max.threads} above 1). Debezium reads each range's bounds over JDBC and binds
 * them back into {@code k >= ? AND k < ?}; for some key types that round trip is not exact and
 * rows fall between ranges, silently: a MariaDB {@code TIME} key of 838:59:59 (a
 * {@code java.sql.Time} cannot hold it) and every {@code BIT(64)} key were never read
 * ({@code TypeMatrixMariaDbIT}). Only key types whose bounds travel exactly are split; a task with
 * any other key type is read by one thread.
 */
public final class SnapshotKeySplits {

    /** Key column types (information_schema's, ColumnTypes) whose JDBC value binds back to the same value and order. */
    private static final Set<String> MYSQL_SPLITTABLE = Set.of("tinyint", "smallint", "mediumint", "int", "bigint",
            "decimal", "char", "varchar", "date", "datetime");
    private static final Set<String> POSTGRES_SPLITTABLE = Set.of("int2", "int4", "int8", "numeric", "text", "varchar",
            "bpchar", "uuid");

    private SnapshotKeySplits() {
    }

    /** The captured tables' key columns that must not be split, as {@code schema.table.column type}; empty when all may. */
    public static List<String> unsplittable(SyncTaskDefinition task, SourceKind kind, Connection connection)
            throws SQLException {
        List<String> out = new ArrayList<>();
        for (SyncTaskDefinition.Table table : task.tables()) {
            String schema = table.schemaOrDefault(kind, task.source().database());
            List<String> keyColumns = new ArrayList<>();
            try (ResultSet rs = kind == SourceKind.POSTGRES
                    ? connection.getMetaData().getPrimaryKeys(null, schema, table.table())
                    : connection.getMetaData().getPrimaryKeys(schema, null, table.table())) {
                while (rs.next()) {
                    keyColumns.add(rs.getString("COLUMN_NAME"));
                }
            }
            Map<String, String> types = ColumnTypes.of(kind, connection, schema, table.table());
            for (String column : keyColumns) {
                String type = types.getOrDefault(column, "?");
                if (!(kind == SourceKind.POSTGRES ? POSTGRES_SPLITTABLE : MYSQL_SPLITTABLE).contains(type)) {
                    out.add(schema + "." + table.table() + "." + column + " " + type);
                }
            }
        }
        return out;
    }
}
