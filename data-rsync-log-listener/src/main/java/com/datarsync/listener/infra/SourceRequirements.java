package com.datarsync.listener.infra;

import com.datarsync.common.source.CdcPrerequisites;
import com.datarsync.common.task.FieldViolation;
import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a source must do for its log to carry every value of a change, checked before a task
 * starts. Each problem names the statement that fixes it.
 *
 * <ul>
 *   <li>PostgreSQL: a captured table with a variable-length column (text, varchar, bytea, json,
 *       arrays: values PostgreSQL may store out of line, "TOAST") needs {@code REPLICA IDENTITY
 *       FULL}. Otherwise an update of another column logs such a value as "unchanged" without
 *       the value, and Milvus would get a placeholder in its place. With FULL the old row carries
 *       it and Debezium fills it in.</li>
 *   <li>MySQL / MariaDB: {@code binlog_row_image} must be {@code FULL}; MINIMAL or NOBLOB leave
 *       unchanged columns out of an update's row.</li>
 * </ul>
 */
public final class SourceRequirements {

    private SourceRequirements() {
    }

    public static List<FieldViolation> check(SyncTaskDefinition task, Connection connection) throws SQLException {
        SourceKind kind = SourceKind.byId(task.source().kind()).orElseThrow();
        List<FieldViolation> out = new ArrayList<>(columnsExist(task, kind, connection));
        out.addAll(kind == SourceKind.POSTGRES ? postgres(task, connection) : serverSettings(kind, connection));
        if (task.source().incrementalSnapshot()) {
            out.addAll(signalTable(task, kind, connection));
        }
        return out;
    }

    /** The statement that makes the signal table of an incremental snapshot (Debezium's shape). */
    public static String signalTableStatement(String qualifiedName) {
        return "CREATE TABLE IF NOT EXISTS " + qualifiedName
                + " (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL)";
    }

    /**
     * An incremental snapshot writes its chunk watermarks to a signal table in the source: it is
     * created when missing (the statement is idempotent); a login that may not create it is told
     * the statement to run.
     */
    private static List<FieldViolation> signalTable(SyncTaskDefinition task, SourceKind kind, Connection connection) {
        String name = task.source().qualifiedSignalTable(kind);
        try (Statement s = connection.createStatement()) {
            s.execute(signalTableStatement(name));
            s.executeQuery("SELECT id, type, data FROM " + name + " WHERE 1 = 0").close();
            return List.of();
        } catch (SQLException e) {
            return List.of(new FieldViolation("source.snapshot.signalTable", "the incremental snapshot writes "
                    + "its watermarks to " + name + ", which this login cannot create or read (" + e.getMessage()
                    + "); run " + signalTableStatement(name) + " and grant INSERT, DELETE and SELECT on it"));
        }
    }

    /**
     * Each column the task names for a table (in a template, a rename, the include list) exists
     * in it: once started, a column missing from a change means it was dropped or renamed, and
     * the change is refused (data-process) rather than rendered without it.
     */
    private static List<FieldViolation> columnsExist(SyncTaskDefinition task, SourceKind kind, Connection connection)
            throws SQLException {
        List<FieldViolation> out = new ArrayList<>();
        java.util.Set<String> templateColumns = new java.util.TreeSet<>();
        task.target().vectors().forEach(v -> templateColumns.addAll(
                com.datarsync.common.task.TextTemplate.parse(v.embedding().template()).columns()));
        for (int i = 0; i < task.tables().size(); i++) {
            SyncTaskDefinition.Table table = task.tables().get(i);
            String schema = table.schemaOrDefault(kind, task.source().database());
            java.util.Set<String> existing = new java.util.HashSet<>();
            try (ResultSet rs = kind == SourceKind.POSTGRES
                    ? connection.getMetaData().getColumns(null, schema, table.table(), null)
                    : connection.getMetaData().getColumns(schema, null, table.table(), null)) {
                while (rs.next()) {
                    existing.add(rs.getString("COLUMN_NAME"));
                }
            }
            if (existing.isEmpty()) {
                out.add(new FieldViolation("tables[" + i + "]", "table " + schema + "." + table.table()
                        + " does not exist in the source"));
                continue;
            }
            java.util.Set<String> named = new java.util.TreeSet<>(templateColumns);
            if (table.renames() != null) {
                named.addAll(table.renames().keySet());
            }
            if (table.includeColumns() != null) {
                named.addAll(table.includeColumns());
            }
            named.removeAll(existing);
            if (!named.isEmpty()) {
                out.add(new FieldViolation("tables[" + i + "]", "table " + schema + "." + table.table()
                        + " has no column " + named + " that the task names (templates, renames, includeColumns)"));
            }
        }
        return out;
    }

    /** The server's settings a change needs to carry every value (CdcPrerequisites, as the connection test checks them). */
    private static List<FieldViolation> serverSettings(SourceKind kind, Connection connection) throws SQLException {
        return CdcPrerequisites.valuesCarried(kind, connection).stream().filter(c -> !c.passed())
                .map(c -> new FieldViolation("source", c.found() + ": updates would not carry unchanged columns; run "
                        + c.hint())).toList();
    }

    private static List<FieldViolation> postgres(SyncTaskDefinition task, Connection connection) throws SQLException {
        List<FieldViolation> out = new ArrayList<>();
        String sql = """
                SELECT c.relreplident, a.attname
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attlen = -1
                 WHERE n.nspname = ? AND c.relname = ?""";
        for (int i = 0; i < task.tables().size(); i++) {
            SyncTaskDefinition.Table table = task.tables().get(i);
            String schema = table.schemaOrDefault(SourceKind.POSTGRES, task.source().database());
            String name = table.table();
            String qualified = schema + "." + name;
            String identity = null;
            List<String> outOfLine = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setString(1, schema);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        identity = rs.getString(1);
                        String column = rs.getString(2);
                        if (column != null && table.keeps(column)) {
                            outOfLine.add(column);
                        }
                    }
                }
            }
            if (identity != null && !"f".equals(identity) && !outOfLine.isEmpty()) {
                out.add(new FieldViolation("tables[" + i + "]", "table " + qualified + " has REPLICA IDENTITY "
                        + switch (identity) {
                            case "d" -> "DEFAULT";
                            case "i" -> "USING INDEX";
                            default -> "NOTHING";
                        } + ", so an update of another column would not carry the unchanged large values of "
                        + outOfLine + "; run ALTER TABLE " + quoted(schema) + "." + quoted(name)
                        + " REPLICA IDENTITY FULL"));
            }
        }
        return out;
    }

    private static String quoted(String identifier) {
        return identifier.matches("[a-z_][a-z0-9_]*") ? identifier : "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
