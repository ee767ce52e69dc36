package com.datarsync.deploy.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local PostgreSQL: a table written and read, and logical decoding with pgoutput available. */
class PostgresIT {

    private final LocalInfra infra = LocalInfra.get();

    private Connection connect() throws Exception {
        return DriverManager.getConnection(infra.postgresUrl(infra.value("DATARSYNC_DEMO_DB")), infra.pgUser(),
                infra.pgPassword());
    }

    @Test
    void writesAndReadsRows() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS it_pg_roundtrip");
            s.execute("CREATE TABLE it_pg_roundtrip (id BIGINT PRIMARY KEY, body TEXT, tags JSONB)");
            s.execute("INSERT INTO it_pg_roundtrip VALUES (1, '中文 text', '{\"k\": [1, 2]}'), (2, NULL, NULL)");
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id, body, tags->'k'->>1 FROM it_pg_roundtrip ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                }
            }
            assertThat(rows).containsExactly("1|中文 text|2", "2|null|null");
            s.execute("DROP TABLE it_pg_roundtrip");
        }
    }

    @Test
    void walIsLogicalAndAPgoutputSlotCanBeCreated() throws Exception {
        String slot = "it_slot_" + ProcessHandle.current().pid();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("logical");
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT slot_name FROM pg_create_logical_replication_slot('" + slot + "', 'pgoutput')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(slot);
            } finally {
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + slot + "'");
            }
        }
    }
}
