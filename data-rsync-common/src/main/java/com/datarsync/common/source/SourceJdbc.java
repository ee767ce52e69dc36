package com.datarsync.common.source;

import com.datarsync.common.task.SourceKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * The one way the product opens a JDBC connection to a source, for the data-source service
 * (connection tests, schema browsing, previews) and the listener (estimates, reads for a
 * verification, clean-up) alike: each kind's own driver, IPv6 literals in brackets, connect and
 * read timeouts in the unit each driver counts in.
 */
public final class SourceJdbc {

    private SourceJdbc() {
    }

    /** Where and as whom: {@code toString} leaves the password out. */
    public record Endpoint(SourceKind kind, String host, int port, String database, String username, String password) {
        @Override
        public String toString() {
            return "Endpoint[" + kind.id() + "://" + host + ":" + port + "/" + database + " as " + username + "]";
        }
    }

    /** The JDBC URL of a source: the driver of its kind, the host bracketed when it is an IPv6 literal. */
    public static String url(SourceKind kind, String host, int port, String database) {
        String scheme = switch (kind) {
            case MARIADB -> "mariadb";
            case MYSQL -> "mysql";
            case POSTGRES -> "postgresql";
            default -> throw new IllegalArgumentException(kind.id() + " sources are not reached over JDBC");
        };
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:" + scheme + "://" + hostPart + ":" + port + "/" + (database == null ? "" : database);
    }

    /**
     * Opens a connection; {@code timeout} bounds the connect and each read. PostgreSQL gets text
     * parameters untyped, so the server casts each to the column it is compared with (a row key's
     * values are text whatever the key column's type).
     */
    public static Connection open(Endpoint source, Duration timeout) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", source.username() == null ? "" : source.username());
        p.setProperty("password", source.password() == null ? "" : source.password());
        if (source.kind() == SourceKind.POSTGRES) {
            // The PostgreSQL driver counts these in seconds, the MySQL-family drivers in milliseconds.
            p.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
            p.setProperty("socketTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
            p.setProperty("stringtype", "unspecified");
        } else {
            p.setProperty("connectTimeout", Long.toString(timeout.toMillis()));
            p.setProperty("socketTimeout", Long.toString(timeout.toMillis()));
        }
        return DriverManager.getConnection(url(source.kind(), source.host(), source.port(), source.database()), p);
    }
}
