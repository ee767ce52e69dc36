package com.datarsync.common.task;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Source database kinds the data path captures today, by their identifier in task definitions. */
public enum SourceKind {
    MYSQL("mysql", 3306),
    MARIADB("mariadb", 3306),
    POSTGRES("postgres", 5432);

    private final String id;
    private final int defaultPort;

    SourceKind(String id, int defaultPort) {
        this.id = id;
        this.defaultPort = defaultPort;
    }

    public String id() {
        return id;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** True for MySQL-protocol sources, where a table's schema is its database. */
    public boolean isMySqlFamily() {
        return this != POSTGRES;
    }

    public static Optional<SourceKind> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(SourceKind::id).toList();
    }
}
