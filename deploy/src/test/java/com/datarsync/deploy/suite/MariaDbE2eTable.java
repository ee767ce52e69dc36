package com.datarsync.deploy.suite;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.List;

/** The test table in MariaDB (binlog capture): single-column key. */
class MariaDbE2eTable extends E2eTable {

    @Override
    String kind() {
        return "mariadb";
    }

    @Override
    int port() {
        return infra.port("mariadb");
    }

    @Override
    String user() {
        return infra.dbUser();
    }

    @Override
    String password() {
        return infra.dbPassword();
    }

    @Override
    Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_DEMO_DB")), user(), password());
        try (Statement s = c.createStatement()) {
            // TIMESTAMP columns are instants; this session reads and writes them in UTC.
            s.execute("SET time_zone = '+00:00'");
        }
        return c;
    }

    @Override
    List<String> createTableSql() {
        return List.of("""
                CREATE TABLE e2e_items (
                  id BIGINT PRIMARY KEY, title VARCHAR(200) NOT NULL, body TEXT, qty INT, price DECIMAL(12,2),
                  ratio DOUBLE, active BOOLEAN, born DATE, at_time TIME(6), updated DATETIME(6),
                  stamp TIMESTAMP(6) NULL, attrs JSON, blob_col VARBINARY(16), secret VARCHAR(40)
                ) CHARACTER SET utf8mb4""");
    }

    @Override
    List<String> keyColumns() {
        return List.of("id");
    }

    @Override
    void setStamp(PreparedStatement ps, int index, LocalDateTime utc) throws SQLException {
        ps.setObject(index, utc);
    }

    @Override
    void setJson(PreparedStatement ps, int index, String json) throws SQLException {
        if (json == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, json);
        }
    }

    @Override
    String stampText(ResultSet rs) throws SQLException {
        return instantText(rs.getObject("stamp", LocalDateTime.class));
    }

    /**
     * (Re)creates {@code table} with {@code rows} numeric rows: {@code id} 1..rows (the key),
     * {@code a = id % 1000}, {@code b = id % 7}, and each of {@code zeroColumns} 0. MariaDB's
     * SEQUENCE engine writes a million rows in seconds.
     */
    void createNumeric(String table, int rows, String... zeroColumns) throws java.sql.SQLException {
        StringBuilder columns = new StringBuilder();
        StringBuilder zeros = new StringBuilder();
        for (String column : zeroColumns) {
            columns.append(", ").append(column).append(" INT");
            zeros.append(", 0");
        }
        create(table, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, a INT, b INT" + columns + ")");
        try (java.sql.Connection db = connect(); java.sql.Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO " + table + " SELECT seq, seq % 1000, seq % 7" + zeros + " FROM seq_1_to_" + rows);
        }
    }
}
