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
import java.util.Set;

/**
 * What a source must do for its log to carry every value of a change, checked before a task
 * starts. Each problem names the statement that fixes it.
 *
 * <ul>
 *   <li>PostgreSQL: a captured table with a variable-length column (text, varchar, bytea, json,
 *       arrays: values PostgreSQL may store out of line, "TOAST") may not have {@code REPLICA
 *       IDENTITY NOTHING}. With DEFAULT (or USING INDEX) an update of another column logs such a
 *       value as "unchanged" without it, and Debezium re-reads it by key (DebeziumProperties); the
 *       task status says so ({@link #identityWarnings}). With FULL the old row carries it.</li>
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
        if (kind.isMySqlFamily()) {
            out.addAll(unparsableTypes(task, connection));
        }
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

    /**
     * MariaDB's INET4, INET6 and UUID columns: Debezium's MariaDB DDL parser (3.5) cannot read a
     * table with INET4 or INET6, so its capture would stop at the table's first schema read; UUID
     * values read correctly in the snapshot arrive from the binlog shifted by two characters
     * ({@code 00123e45-67e8-…} for {@code 123e4567-e89b-…}, TypeMatrixMariaDbIT). Whatever columns
     * the task keeps, such a table is refused before the start, naming the columns.
     */
    private static List<FieldViolation> unparsableTypes(SyncTaskDefinition task, Connection connection)
            throws SQLException {
        List<FieldViolation> out = new ArrayList<>();
        for (int i = 0; i < task.tables().size(); i++) {
            SyncTaskDefinition.Table table = task.tables().get(i);
            String schema = table.schemaOrDefault(SourceKind.MARIADB, task.source().database());
            List<String> columns = ColumnTypes.of(SourceKind.MARIADB, connection, schema, table.table()).entrySet()
                    .stream().filter(c -> Set.of("inet4", "inet6", "uuid").contains(c.getValue()))
                    .map(c -> c.getKey() + " " + c.getValue().toUpperCase(java.util.Locale.ROOT)).toList();
            if (!columns.isEmpty()) {
                out.add(new FieldViolation("tables[" + i + "]", "table " + schema + "." + table.table() + " has "
                        + columns + ": Debezium cannot carry these MariaDB types (its schema parser cannot read a "
                        + "table with INET4 or INET6; its binlog reader shifts UUID values by two characters), so the "
                        + "table cannot be captured exactly, even with the columns excluded; store them as CHAR(36) "
                        + "(UUID), VARCHAR(39) (INET6) or VARCHAR(15) (INET4), or leave the table out"));
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

    /**
     * A captured PostgreSQL table with REPLICA IDENTITY NOTHING (whatever its columns) logs no key
     * with an update or a delete, and PostgreSQL refuses both on a published table: refused.
     */
    private static List<FieldViolation> postgres(SyncTaskDefinition task, Connection connection) throws SQLException {
        List<FieldViolation> out = new ArrayList<>(identities(task, connection).stream()
                .filter(t -> t.identity() == 'n')
                .map(t -> new FieldViolation("tables[" + t.index() + "]", "table " + t.qualified()
                        + " has REPLICA IDENTITY NOTHING: its updates and deletes would carry no key, and once the "
                        + "task's publication holds it PostgreSQL refuses them to the application; run ALTER TABLE "
                        + t.quotedName() + " REPLICA IDENTITY DEFAULT (or FULL)"))
                .toList());
        out.addAll(varyingBits(task, connection));
        return out;
    }

    /**
     * PostgreSQL {@code bit varying} columns the task keeps: Debezium hands the bits over without
     * their count, so {@code B'0001'} and {@code B'1'} would arrive alike. Refused before the start.
     */
    private static List<FieldViolation> varyingBits(SyncTaskDefinition task, Connection connection) throws SQLException {
        List<FieldViolation> out = new ArrayList<>();
        for (int i = 0; i < task.tables().size(); i++) {
            SyncTaskDefinition.Table table = task.tables().get(i);
            String schema = table.schemaOrDefault(SourceKind.POSTGRES, task.source().database());
            List<String> columns = ColumnTypes.of(SourceKind.POSTGRES, connection, schema, table.table()).entrySet()
                    .stream().filter(c -> c.getValue().equals("varbit") && table.keeps(c.getKey()))
                    .map(java.util.Map.Entry::getKey).toList();
            if (!columns.isEmpty()) {
                out.add(new FieldViolation("tables[" + i + "]", "table " + schema + "." + table.table() + " has bit "
                        + "varying columns " + columns + ", whose values Debezium carries without their length (B'0001' "
                        + "and B'1' alike); exclude them, or store them as bit(n) or text"));
            }
        }
        return out;
    }

    /**
     * What the task status says about captured PostgreSQL tables whose replica identity is not
     * FULL but which have columns PostgreSQL may store out of line: an update of another column
     * logs such a value only as "unchanged", and the listener re-reads it from the table by key
     * (a query per such change), and data-process cannot see that an update changed nothing the
     * task writes (no before image). Empty when every such table has FULL.
     */
    public static List<String> identityWarnings(SyncTaskDefinition task, Connection connection) throws SQLException {
        return identities(task, connection).stream().filter(t -> !t.outOfLine().isEmpty())
                .filter(t -> t.identity() == 'd' || t.identity() == 'i')
                .map(t -> "table " + t.qualified() + " has REPLICA IDENTITY " + (t.identity() == 'd' ? "DEFAULT"
                        : "USING INDEX") + ": unchanged large values of " + t.outOfLine() + " are re-read from the "
                        + "table by key at each update that leaves them out, and updates that change nothing mapped "
                        + "are not skipped; ALTER TABLE " + t.quotedName() + " REPLICA IDENTITY FULL logs them instead")
                .toList();
    }

    /** A captured table's replica identity and the kept columns PostgreSQL may store out of line. */
    private record Identity(int index, String schema, String name, char identity, List<String> outOfLine) {
        String qualified() {
            return schema + "." + name;
        }

        String quotedName() {
            return quoted(schema) + "." + quoted(name);
        }
    }

    /** Each captured table's replica identity, with the kept columns PostgreSQL may store out of line ("TOAST"). */
    private static List<Identity> identities(SyncTaskDefinition task, Connection connection) throws SQLException {
        List<Identity> out = new ArrayList<>();
        String sql = """
                SELECT c.relreplident, a.attname
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attlen = -1
                 WHERE n.nspname = ? AND c.relname = ?""";
        for (int i = 0; i < task.tables().size(); i++) {
            SyncTaskDefinition.Table table = task.tables().get(i);
            String schema = table.schemaOrDefault(SourceKind.POSTGRES, task.source().database());
            String identity = null;
            List<String> outOfLine = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setString(1, schema);
                ps.setString(2, table.table());
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
            if (identity != null && !identity.isEmpty()) {
                out.add(new Identity(i, schema, table.table(), identity.charAt(0), outOfLine));
            }
        }
        return out;
    }

    private static String quoted(String identifier) {
        return identifier.matches("[a-z_][a-z0-9_]*") ? identifier : "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
