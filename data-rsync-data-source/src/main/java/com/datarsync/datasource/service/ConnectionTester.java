package com.datarsync.datasource.service;

import com.datarsync.common.source.CdcPrerequisites;
import com.datarsync.common.source.CdcPrerequisites.Check;
import com.datarsync.common.source.SourceJdbc;
import com.datarsync.common.task.SourceKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** @param ok every check passed */
    public record Result(boolean ok, boolean reachable, Boolean loginAccepted, String serverVersion, List<Check> checks,
            long tookMs) {
    }

    /** What to test: the fields of a source, with its plain password (never kept or logged here). */
    public record Target(SourceKind type, String host, int port, String database, String username, String password) {
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
        if (reachable && t.type().jdbc()) {
            try (Connection c = open(t)) {
                login = true;
                version = c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
                checks.add(new Check("login", true, "accepted for " + t.username(), null));
                checks.addAll(CdcPrerequisites.all(t.type(), c));
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

    /** A JDBC connection to the source, with the test's timeouts (SourceJdbc, as the listener opens it). */
    static Connection open(Target t) throws SQLException {
        return SourceJdbc.open(new SourceJdbc.Endpoint(t.type(), t.host(), t.port(), t.database(), t.username(),
                t.password()), TIMEOUT);
    }

    /** The driver's reason without its stack or the URL. */
    private static String loginFailure(SQLException e) {
        String message = e.getMessage() == null ? "the driver gave no reason" : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
