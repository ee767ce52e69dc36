package com.datarsync.deploy.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local MariaDB: a table written and read over TCP, and the binlog set up for row capture. */
class MariaDbIT {

    private final LocalInfra infra = LocalInfra.get();

    @Test
    void writesAndReadsRowsWithUnicodeText() throws Exception {
        try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(infra.value("DATARSYNC_DEMO_DB")),
                infra.dbUser(), infra.dbPassword());
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS it_mariadb_roundtrip");
            s.execute("CREATE TABLE it_mariadb_roundtrip (id BIGINT PRIMARY KEY, title VARCHAR(64), price DECIMAL(10,2))"
                    + " CHARACTER SET utf8mb4");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO it_mariadb_roundtrip VALUES (?, ?, ?)")) {
                insert.setLong(1, 1);
                insert.setString(2, "向量同步 🚀");
                insert.setBigDecimal(3, new java.math.BigDecimal("19.90"));
                insert.executeUpdate();
                insert.setLong(1, 2);
                insert.setString(2, "plain");
                insert.setBigDecimal(3, new java.math.BigDecimal("0.05"));
                insert.executeUpdate();
            }
            Map<Long, String> rows = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT id, title, price FROM it_mariadb_roundtrip ORDER BY id")) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), rs.getString(2) + "|" + rs.getBigDecimal(3).toPlainString());
                }
            }
            assertThat(rows).containsExactly(Map.entry(1L, "向量同步 🚀|19.90"), Map.entry(2L, "plain|0.05"));
            s.execute("DROP TABLE it_mariadb_roundtrip");
        }
    }

    @Test
    void binlogIsOnInRowFormatWithFullImages() throws Exception {
        try (Connection c = DriverManager.getConnection(infra.mariaDbUrl(""), infra.dbUser(), infra.dbPassword());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN "
                     + "('log_bin', 'binlog_format', 'binlog_row_image', 'server_id')")) {
            Map<String, String> vars = new LinkedHashMap<>();
            while (rs.next()) {
                vars.put(rs.getString(1), rs.getString(2));
            }
            assertThat(vars).containsEntry("log_bin", "ON").containsEntry("binlog_format", "ROW")
                    .containsEntry("binlog_row_image", "FULL");
            assertThat(Long.parseLong(vars.get("server_id"))).isPositive();
        }
    }
}
