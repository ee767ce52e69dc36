package com.datarsync.listener.infra;

import com.datarsync.common.task.SourceKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Plain JDBC connections to a task's source, for what Debezium does not do (estimates, clean-up). */
public final class SourceConnections {

    private SourceConnections() {
    }

    public static Connection open(SourceEndpoint source) throws SQLException {
        SourceKind kind = source.kind();
        String scheme = switch (kind) {
            case MARIADB -> "mariadb";
            case MYSQL -> "mysql";
            case POSTGRES -> "postgresql";
        };
        Properties properties = new Properties();
        properties.setProperty("user", source.username());
        properties.setProperty("password", source.password() == null ? "" : source.password());
        // PostgreSQL counts the connect timeout in seconds, the MySQL-family drivers in milliseconds.
        properties.setProperty("connectTimeout", kind == SourceKind.POSTGRES ? "10" : "10000");
        if (kind == SourceKind.POSTGRES) {
            // Text parameters untyped: the server casts each to the column it is compared with
            // (a row key's values are text whatever the key column's type).
            properties.setProperty("stringtype", "unspecified");
        }
        return DriverManager.getConnection("jdbc:" + scheme + "://" + source.host() + ":" + source.port() + "/"
                + source.database(), properties);
    }
}
