package com.datarsync.datasource.domain;

import java.util.Arrays;
import java.util.Optional;

/** Every source kind the product knows, with its default port. */
public enum SourceType {
    MYSQL("mysql", 3306, true),
    MARIADB("mariadb", 3306, true),
    POSTGRES("postgres", 5432, true),
    ORACLE("oracle", 1521, true),
    SQLSERVER("sqlserver", 1433, true),
    MONGODB("mongodb", 27017, false),
    REDIS("redis", 6379, false);

    private final String id;
    private final int defaultPort;
    private final boolean needsDatabase;

    SourceType(String id, int defaultPort, boolean needsDatabase) {
        this.id = id;
        this.defaultPort = defaultPort;
        this.needsDatabase = needsDatabase;
    }

    public String id() {
        return id;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public boolean needsDatabase() {
        return needsDatabase;
    }

    public boolean isMySqlFamily() {
        return this == MYSQL || this == MARIADB;
    }

    public static Optional<SourceType> byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(SourceType::id).toList());
    }
}
