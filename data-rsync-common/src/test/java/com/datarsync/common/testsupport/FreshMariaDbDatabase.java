package com.datarsync.common.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * An empty database on the local MariaDB for one test class, so a service's Flyway migrations
 * run from scratch and the running suite's metadata database is never touched.
 */
public final class FreshMariaDbDatabase {

    private FreshMariaDbDatabase() {
    }

    /** Drops and creates {@code name}; answers Spring datasource properties pointing at it. */
    public static Map<String, String> create(String name) {
        LocalInfra infra = LocalInfra.get();
        try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(""), infra.dbUser(), infra.dbPassword());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
            s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on the local MariaDB "
                    + "(is it started? deploy/local/datarsync start mariadb)", e);
        }
        return Map.of(
                "spring.datasource.url", infra.mariaDbUrl(name),
                "spring.datasource.username", infra.dbUser(),
                "spring.datasource.password", infra.dbPassword());
    }
}
