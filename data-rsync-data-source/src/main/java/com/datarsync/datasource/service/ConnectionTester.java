package com.datarsync.datasource.service;

import com.datarsync.common.source.CdcPrerequisites;
import com.datarsync.common.source.CdcPrerequisites.Check;
import com.datarsync.common.source.SourceJdbc;
import com.datarsync.common.task.SourceKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
        Target at(InetAddress address) {
            return new Target(type, address.getHostAddress(), port, database, username, password);
        }
    }

    private final SourceNetworks networks;

    public ConnectionTester(SourceNetworks networks) {
        this.networks = networks;
    }

    public Result test(Target t) {
        long started = System.nanoTime();
        List<Check> checks = new ArrayList<>();
        InetAddress address;
        try {
            address = networks.connectAddress(t.host());
        } catch (SourceNetworks.Refused refused) {
            checks.add(new Check("network", false, refused.getMessage(), "register the source by an address in the "
                    + "networks sources may be in"));
            return new Result(false, false, null, null, checks, (System.nanoTime() - started) / 1_000_000);
        } catch (UnknownHostException unknown) {
            checks.add(new Check("reachable", false, t.host() + " does not resolve", "check the host name"));
            return new Result(false, false, null, null, checks, (System.nanoTime() - started) / 1_000_000);
        }
        // From here on the checked address, not the name: it cannot resolve elsewhere in between.
        Target pinned = t.at(address);
        boolean reachable = reachable(address, t.port());
        checks.add(new Check("reachable", reachable, t.host() + ":" + t.port() + (reachable ? " accepts connections"
                : " does not answer within " + TIMEOUT.toSeconds() + " s"), reachable ? null
                : "check the host, the port and any firewall between this service and the source"));
        Boolean login = null;
        String version = null;
        if (reachable && t.type().jdbc()) {
            try (Connection c = jdbc(pinned)) {
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

    private static boolean reachable(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A JDBC connection to the source at the address its host resolves to now, once that address
     * is checked against the allowed networks; the test's timeouts.
     */
    public Connection open(Target t) throws SQLException, SourceNetworks.Refused {
        try {
            return jdbc(t.at(networks.connectAddress(t.host())));
        } catch (UnknownHostException e) {
            throw new SQLException(t.host() + " does not resolve", "08001", e);
        }
    }

    /** SourceJdbc, as the listener opens it. */
    private static Connection jdbc(Target t) throws SQLException {
        return SourceJdbc.open(new SourceJdbc.Endpoint(t.type(), t.host(), t.port(), t.database(), t.username(),
                t.password()), TIMEOUT);
    }

    /** The driver's reason without its stack or the URL. */
    private static String loginFailure(SQLException e) {
        String message = e.getMessage() == null ? "the driver gave no reason" : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
