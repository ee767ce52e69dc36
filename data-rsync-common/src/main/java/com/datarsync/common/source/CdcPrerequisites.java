package com.datarsync.common.source;

import com.datarsync.common.task.SourceKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a source server must do for change capture, each as pass or fail with what was found and
 * the fix: the one set of checks the data-source service's connection test runs in full and the
 * listener runs before a task starts (what it needs for every value of a change to be carried).
 * MySQL/MariaDB: binary log on, ROW format, FULL row image, the replication privileges.
 * PostgreSQL: {@code wal_level=logical}, a free replication slot, the REPLICATION attribute;
 * and, for information, the tables whose replica identity is NOTHING (a task on them is refused)
 * or DEFAULT with large columns (their unchanged large values are re-read by key at each update;
 * FULL logs them instead).
 */
public final class CdcPrerequisites {

    /** Names of the checks, as the connection test reports them. */
    public static final String BINLOG_ENABLED = "binlog enabled";
    public static final String BINLOG_FORMAT = "binlog format ROW";
    public static final String BINLOG_ROW_IMAGE = "binlog row image FULL";
    public static final String REPLICATION_PRIVILEGES = "replication privileges";
    public static final String WAL_LEVEL = "wal_level logical";
    public static final String FREE_SLOT = "free replication slot";
    public static final String REPLICATION_ATTRIBUTE = "REPLICATION attribute";
    public static final String REPLICA_IDENTITY = "replica identity";

    /** One prerequisite: passed or not, what was found, and what to do when it failed (null when passed). */
    public record Check(String name, boolean passed, String found, String hint) {
        public Check {
            hint = passed ? null : hint;
        }
    }

    private CdcPrerequisites() {
    }

    /** Every prerequisite of the kind's capture, checked on an open connection as the source's user. */
    public static List<Check> all(SourceKind kind, Connection c) throws SQLException {
        if (kind == SourceKind.POSTGRES) {
            return postgres(c);
        }
        if (kind.isMySqlFamily()) {
            return mysqlFamily(c);
        }
        throw new IllegalArgumentException(kind.id() + " has no JDBC prerequisites here");
    }

    /**
     * The server-wide settings without which a change does not carry every value of its row
     * (MySQL/MariaDB: binlog_row_image FULL); what the listener refuses a task on before it starts.
     * The connection test reports these and the rest.
     */
    public static List<Check> valuesCarried(SourceKind kind, Connection c) throws SQLException {
        if (!kind.isMySqlFamily()) {
            return List.of();
        }
        return List.of(rowImage(binlogVariables(c)));
    }

    private static Map<String, String> binlogVariables(Connection c) throws SQLException {
        Map<String, String> variables = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name "
                + "IN ('log_bin', 'binlog_format', 'binlog_row_image')")) {
            while (rs.next()) {
                variables.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        return variables;
    }

    private static Check rowImage(Map<String, String> variables) {
        String image = variables.getOrDefault("binlog_row_image", "FULL");
        return new Check(BINLOG_ROW_IMAGE, "FULL".equalsIgnoreCase(image), "binlog_row_image=" + image,
                "SET GLOBAL binlog_row_image = 'FULL' (and in the server's configuration): MINIMAL or NOBLOB leave "
                        + "unchanged columns out of an update");
    }

    private static List<Check> mysqlFamily(Connection c) throws SQLException {
        Map<String, String> variables = binlogVariables(c);
        List<Check> out = new ArrayList<>();
        String logBin = variables.getOrDefault("log_bin", "OFF");
        out.add(new Check(BINLOG_ENABLED, "ON".equalsIgnoreCase(logBin) || "1".equals(logBin), "log_bin=" + logBin,
                "start the server with log_bin (and a server_id); capture reads the binary log"));
        String format = variables.getOrDefault("binlog_format", "?");
        out.add(new Check(BINLOG_FORMAT, "ROW".equalsIgnoreCase(format), "binlog_format=" + format,
                "SET GLOBAL binlog_format = 'ROW' (and in the server's configuration, for restarts)"));
        out.add(rowImage(variables));
        List<String> grants = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                grants.add(rs.getString(1).toUpperCase(Locale.ROOT));
            }
        }
        boolean all = grants.stream().anyMatch(g -> g.contains("ALL PRIVILEGES ON *.*"));
        boolean slave = all || grants.stream().anyMatch(g -> g.contains("REPLICATION SLAVE")
                || g.contains("REPLICATION REPLICA"));
        boolean client = all || grants.stream().anyMatch(g -> g.contains("REPLICATION CLIENT")
                || g.contains("BINLOG MONITOR") || g.contains("SLAVE MONITOR"));
        out.add(new Check(REPLICATION_PRIVILEGES, slave && client, (slave ? "" : "no REPLICATION SLAVE; ")
                + (client ? "" : "no REPLICATION CLIENT; ") + (slave && client ? "granted" : "").trim(),
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO the user"));
        return out;
    }

    private static List<Check> postgres(Connection c) throws SQLException {
        List<Check> out = new ArrayList<>();
        String walLevel = single(c, "SHOW wal_level");
        out.add(new Check(WAL_LEVEL, "logical".equals(walLevel), "wal_level=" + walLevel,
                "ALTER SYSTEM SET wal_level = logical, then restart PostgreSQL"));
        long free = Long.parseLong(single(c, "SELECT current_setting('max_replication_slots')::int "
                + "- (SELECT count(*) FROM pg_replication_slots)"));
        out.add(new Check(FREE_SLOT, free > 0, free + " of max_replication_slots free",
                "raise max_replication_slots (restart) or drop an unused slot"));
        boolean replication = "t".equals(single(c, "SELECT rolreplication OR rolsuper FROM pg_roles "
                + "WHERE rolname = current_user"));
        out.add(new Check(REPLICATION_ATTRIBUTE, replication, replication ? "the user may replicate"
                : "the user has neither REPLICATION nor SUPERUSER", "ALTER ROLE <user> WITH REPLICATION"));
        out.add(replicaIdentity(c));
        return out;
    }

    /** The user tables with variable-length columns, by replica identity (FULL ones are not listed). */
    private static Check replicaIdentity(Connection c) throws SQLException {
        Map<String, List<String>> byIdentity = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT c.relreplident, n.nspname || '.' || c.relname
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p') AND c.relreplident <> 'f'
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
                   AND (c.relreplident = 'n' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                                  AND a.attnum > 0 AND NOT a.attisdropped AND a.attlen = -1))
                 ORDER BY 2""")) {
            while (rs.next()) {
                byIdentity.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        List<String> nothing = byIdentity.getOrDefault("n", List.of());
        List<String> reread = new ArrayList<>(byIdentity.getOrDefault("d", List.of()));
        reread.addAll(byIdentity.getOrDefault("i", List.of()));
        String found = nothing.isEmpty() && reread.isEmpty() ? "every table with large columns has REPLICA IDENTITY FULL"
                : (nothing.isEmpty() ? "" : nothing.size() + " with NOTHING (no key in updates and deletes: a task "
                        + "on them is refused): " + first(nothing) + "; ")
                + (reread.isEmpty() ? "" : reread.size() + " with DEFAULT or USING INDEX (unchanged large values are "
                        + "re-read by key at each update; FULL would log them): " + first(reread));
        // Informational: the source as a whole can be captured; a task on a NOTHING table is refused at its start.
        return new Check(REPLICA_IDENTITY, true, found, null);
    }

    private static String first(List<String> tables) {
        return String.join(", ", tables.subList(0, Math.min(10, tables.size()))) + (tables.size() > 10 ? ", ..." : "");
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
