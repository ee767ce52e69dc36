package com.datarsync.common.task;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every source kind the product knows, by its identifier in data sources and task definitions:
 * the one list the data-source registry and the data path share. {@link #captured()} says which
 * the data path follows today; the others can be registered and tested for reachability.
 */
public enum SourceKind {
    MYSQL("mysql", 3306, true, true),
    MARIADB("mariadb", 3306, true, true),
    POSTGRES("postgres", 5432, true, true),
    ORACLE("oracle", 1521, true, false),
    SQLSERVER("sqlserver", 1433, true, false),
    MONGODB("mongodb", 27017, false, false),
    REDIS("redis", 6379, false, false);

    private final String id;
    private final int defaultPort;
    private final boolean needsDatabase;
    private final boolean captured;

    SourceKind(String id, int defaultPort, boolean needsDatabase, boolean captured) {
        this.id = id;
        this.defaultPort = defaultPort;
        this.needsDatabase = needsDatabase;
        this.captured = captured;
    }

    public String id() {
        return id;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Whether a data source of this kind names a database. */
    public boolean needsDatabase() {
        return needsDatabase;
    }

    /** Whether the data path captures this kind (snapshot, then the log). */
    public boolean captured() {
        return captured;
    }

    /** True for MySQL-protocol sources, where a table's schema is its database. */
    public boolean isMySqlFamily() {
        return this == MYSQL || this == MARIADB;
    }

    /** Whether the product reaches this kind over JDBC (connection tests, schema browsing, previews, reads). */
    public boolean jdbc() {
        return isMySqlFamily() || this == POSTGRES;
    }

    public static Optional<SourceKind> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    /** Every kind's identifier. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(SourceKind::id).toList();
    }

    /** The identifiers of the kinds the data path captures. */
    public static List<String> capturedIds() {
        return Arrays.stream(values()).filter(SourceKind::captured).map(SourceKind::id).toList();
    }
}
