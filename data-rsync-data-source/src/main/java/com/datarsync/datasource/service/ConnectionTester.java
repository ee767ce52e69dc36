package com.datarsync.datasource.service;

import com.datarsync.datasource.domain.SourceType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * Tells an operator whether a source can be captured: reachable, login accepted, the server's
 * version, and each prerequisite of change capture as pass or fail with the fix. MySQL/MariaDB:
 * binary log on, ROW format, FULL row image, the replication privileges. PostgreSQL:
 * {@code wal_level=logical}, a free replication slot, the REPLICATION attribute. Every step has a
 * timeout. Kinds this build has no client for are checked for reachability only, and say so.
 */
@Component
public class ConnectionTester {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** One prerequisite: passed or not, what was found, and what to do when it failed. */
    public record Check(String name, boolean passed, String found, String hint) {

        public Check {
            hint = passed ? null : hint;
        }
    }

    /** @param ok every check passed */
    public record Result(boolean ok, boolean reachable, Boolean loginAccepted, String serverVersion, List<Check> checks,
            long tookMs) {
    }

    /** What to test: the fields of a source, with its plain password (never kept or logged here). */
    public record Target(SourceType type, String host, int port, String database, String username, String password) {
    }

    public Result test(Target t) {
        long started = System.nanoTime();
        List<Check> checks = new ArrayList<>();
        boolean reachable = reachable(t.host(), t.port());
        checks.add(new Check("reachable", reachable, t.host() + ":" + t.port() + (reachable ? " accepts connections"
                : " does not answer within " + TIMEOUT.toSeconds() + " s"), reachable ? null
                : "check the host, the port and any firewall between this service and the source"));
        Boolean login = null;
        String version = null;
        if (reachable && (t.type().isMySqlFamily() || t.type() == SourceType.POSTGRES)) {
            try (Connection c = open(t)) {
                login = true;
                version = c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
                checks.add(new Check("login", true, "accepted for " + t.username(), null));
                checks.addAll(t.type() == SourceType.POSTGRES ? postgres(c) : mysqlFamily(c));
            } catch (SQLException e) {
                login = false;
                checks.add(new Check("login", false, loginFailure(e), "check the user name and password, and that "
                        + "the user may connect from this service's address"));
            }
        } else if (reachable) {
            checks.add(new Check("login", false, "not checked: this build has no client for " + t.type().id(),
                    "change capture from " + t.type().id() + " is not supported yet"));
        }
        boolean ok = checks.stream().allMatch(Check::passed);
        return new Result(ok, reachable, login, version, checks, (System.nanoTime() - started) / 1_000_000);
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A JDBC connection to a MySQL-family or PostgreSQL source, with the test's timeouts. */
    static Connection open(Target t) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", t.username());
        p.setProperty("password", t.password() == null ? "" : t.password());
        String url;
        if (t.type() == SourceType.POSTGRES) {
            p.setProperty("connectTimeout", Long.toString(TIMEOUT.toSeconds()));
            p.setProperty("socketTimeout", Long.toString(TIMEOUT.toSeconds()));
            url = "jdbc:postgresql://" + hostPart(t.host()) + ":" + t.port() + "/" + t.database();
        } else {
            p.setProperty("connectTimeout", Long.toString(TIMEOUT.toMillis()));
            p.setProperty("socketTimeout", Long.toString(TIMEOUT.toMillis()));
            url = "jdbc:mariadb://" + hostPart(t.host()) + ":" + t.port() + "/" + t.database();
        }
        return DriverManager.getConnection(url, p);
    }

    private static String hostPart(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The driver's reason without its stack or the URL. */
    private static String loginFailure(SQLException e) {
        String message = e.getMessage() == null ? "the driver gave no reason" : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static List<Check> mysqlFamily(Connection c) throws SQLException {
        Map<String, String> variables = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name "
                + "IN ('log_bin', 'binlog_format', 'binlog_row_image')")) {
            while (rs.next()) {
                variables.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        List<Check> out = new ArrayList<>();
        String logBin = variables.getOrDefault("log_bin", "OFF");
        out.add(new Check("binlog enabled", "ON".equalsIgnoreCase(logBin) || "1".equals(logBin), "log_bin=" + logBin,
                "start the server with log_bin (and a server_id); capture reads the binary log"));
        String format = variables.getOrDefault("binlog_format", "?");
        out.add(new Check("binlog format ROW", "ROW".equalsIgnoreCase(format), "binlog_format=" + format,
                "SET GLOBAL binlog_format = 'ROW' (and in the server's configuration, for restarts)"));
        String image = variables.getOrDefault("binlog_row_image", "FULL");
        out.add(new Check("binlog row image FULL", "FULL".equalsIgnoreCase(image), "binlog_row_image=" + image,
                "SET GLOBAL binlog_row_image = 'FULL': MINIMAL or NOBLOB leave unchanged columns out of an update"));
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
        out.add(new Check("replication privileges", slave && client, (slave ? "" : "no REPLICATION SLAVE; ")
                + (client ? "" : "no REPLICATION CLIENT; ") + (slave && client ? "granted" : "").trim(),
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO the user"));
        return out;
    }

    private static List<Check> postgres(Connection c) throws SQLException {
        List<Check> out = new ArrayList<>();
        String walLevel = single(c, "SHOW wal_level");
        out.add(new Check("wal_level logical", "logical".equals(walLevel), "wal_level=" + walLevel,
                "ALTER SYSTEM SET wal_level = logical, then restart PostgreSQL"));
        long free = Long.parseLong(single(c, "SELECT current_setting('max_replication_slots')::int "
                + "- (SELECT count(*) FROM pg_replication_slots)"));
        out.add(new Check("free replication slot", free > 0, free + " of max_replication_slots free",
                "raise max_replication_slots (restart) or drop an unused slot"));
        boolean replication = "t".equals(single(c, "SELECT rolreplication OR rolsuper FROM pg_roles "
                + "WHERE rolname = current_user"));
        out.add(new Check("REPLICATION attribute", replication, replication ? "the user may replicate"
                : "the user has neither REPLICATION nor SUPERUSER", "ALTER ROLE <user> WITH REPLICATION"));
        return out;
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
