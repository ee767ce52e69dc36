package com.datarsync.datasource.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SourceKind;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Browses a source's schemas, tables and columns, so a task can be built without typing names.
 * Names an operator gives travel only as statement parameters and metadata-call arguments,
 * never inside SQL text, so no name can change a statement; a schema or table that does not
 * exist answers 404. Only the source's own database is browsed: for MySQL/MariaDB the one it
 * was registered with (the login may reach others, such as the suite's metadata database, but
 * the source is not them), for PostgreSQL the schemas of the database it connects to.
 */
public final class SourceMetadata {

    /** A table and its row estimate (the database's statistics; -1 when it has none). */
    public record Table(String name, long rowsEstimate) {
    }

    public record Column(String name, String type, boolean nullable, boolean primaryKey, int position) {
    }

    private final SourceKind type;
    private final Connection connection;
    /** The source's registered database (MySQL/MariaDB: the only schema shown), or null for none. */
    private final String database;

    SourceMetadata(SourceKind type, Connection connection, String database) {
        this.type = type;
        this.connection = connection;
        this.database = database;
    }

    SourceKind type() {
        return type;
    }

    Connection connection() {
        return connection;
    }

    List<String> schemas() throws SQLException {
        List<String> out = new ArrayList<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = type == SourceKind.POSTGRES ? meta.getSchemas() : meta.getCatalogs()) {
            while (rs.next()) {
                String name = rs.getString(1);
                boolean ownDatabase = type == SourceKind.POSTGRES || database == null || database.equals(name);
                if (ownDatabase && !systemSchema(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    List<Table> tables(String schema) throws SQLException {
        requireSchema(schema);
        Map<String, Long> estimates = estimates(schema);
        List<Table> out = new ArrayList<>();
        try (ResultSet rs = tablesOf(schema, null)) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                out.add(new Table(name, estimates.getOrDefault(name, -1L)));
            }
        }
        return out;
    }

    List<Column> columns(String schema, String table) throws SQLException {
        requireSchema(schema);
        try (ResultSet rs = tablesOf(schema, table)) {
            if (!rs.next()) {
                throw notFound("table " + schema + "." + table);
            }
        }
        DatabaseMetaData meta = connection.getMetaData();
        Set<String> keys = new HashSet<>();
        try (ResultSet rs = type == SourceKind.POSTGRES ? meta.getPrimaryKeys(null, schema, table)
                : meta.getPrimaryKeys(schema, null, table)) {
            while (rs.next()) {
                keys.add(rs.getString("COLUMN_NAME"));
            }
        }
        List<Column> out = new ArrayList<>();
        try (ResultSet rs = type == SourceKind.POSTGRES ? meta.getColumns(null, schema, table, null)
                : meta.getColumns(schema, null, table, null)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                out.add(new Column(name, rs.getString("TYPE_NAME"), "YES".equals(rs.getString("IS_NULLABLE")),
                        keys.contains(name), rs.getInt("ORDINAL_POSITION")));
            }
        }
        return out;
    }

    private ResultSet tablesOf(String schema, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        // Metadata patterns treat '_' and '%' as wildcards: escape them, so a name matches only itself.
        String escape = meta.getSearchStringEscape();
        String pattern = table == null ? "%" : table.replace(escape, escape + escape).replace("_", escape + "_")
                .replace("%", escape + "%");
        String schemaPattern = schema.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
        String[] kinds = {"TABLE", "BASE TABLE", "PARTITIONED TABLE"};
        return type == SourceKind.POSTGRES ? meta.getTables(null, schemaPattern, pattern, kinds)
                : meta.getTables(schema, null, pattern, kinds);
    }

    private void requireSchema(String schema) throws SQLException {
        if (!schemas().contains(schema)) {
            throw notFound("schema " + schema);
        }
    }

    private Map<String, Long> estimates(String schema) throws SQLException {
        String sql = type == SourceKind.POSTGRES
                ? "SELECT c.relname, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p')"
                : "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?";
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long estimate = rs.getLong(2);
                    out.put(rs.getString(1), rs.wasNull() ? -1 : estimate);
                }
            }
        }
        return out;
    }

    private boolean systemSchema(String name) {
        return type == SourceKind.POSTGRES ? name.startsWith("pg_") || name.equals("information_schema")
                : List.of("information_schema", "mysql", "performance_schema", "sys").contains(name);
    }

    private static DataRsyncException notFound(String what) {
        return new DataRsyncException(ErrorCode.NOT_FOUND, "The source has no " + what, Map.of(), null);
    }
}
