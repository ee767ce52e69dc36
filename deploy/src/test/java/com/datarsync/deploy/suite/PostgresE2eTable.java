package com.datarsync.deploy.suite;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The test table in PostgreSQL (WAL capture with pgoutput): composite key (tenant, id). */
class PostgresE2eTable extends E2eTable {

    @Override
    String kind() {
        return "postgres";
    }

    @Override
    int port() {
        return infra.port("postgres");
    }

    @Override
    String user() {
        return infra.pgUser();
    }

    @Override
    String password() {
        return infra.pgPassword();
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(infra.postgresUrl(infra.value("DATARSYNC_DEMO_DB")), user(), password());
    }

    @Override
    List<String> createTableSql() {
        return List.of("""
                CREATE TABLE e2e_items (
                  tenant BIGINT NOT NULL, id BIGINT NOT NULL, title VARCHAR(200) NOT NULL, body TEXT, qty INT,
                  price NUMERIC(12,2), ratio DOUBLE PRECISION, active BOOLEAN, born DATE, at_time TIME(6),
                  updated TIMESTAMP(6), stamp TIMESTAMPTZ(6), attrs JSONB, blob_col BYTEA, secret VARCHAR(40),
                  PRIMARY KEY (tenant, id))""", "ALTER TABLE e2e_items REPLICA IDENTITY FULL");
    }

    @Override
    String schema() {
        return "public";
    }

    @Override
    List<String> keyColumns() {
        return List.of("tenant", "id");
    }

    @Override
    void setStamp(PreparedStatement ps, int index, LocalDateTime utc) throws SQLException {
        ps.setObject(index, utc == null ? null : utc.atOffset(ZoneOffset.UTC));
    }

    @Override
    void setJson(PreparedStatement ps, int index, String json) throws SQLException {
        ps.setObject(index, json, Types.OTHER);
    }

    @Override
    String stampText(ResultSet rs) throws SQLException {
        OffsetDateTime stamp = rs.getObject("stamp", OffsetDateTime.class);
        return stamp == null ? null : instantText(stamp.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }

    @Override
    void dropCaptureState(String taskId) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'drs_" + taskId
                    + "' AND NOT active");
            s.execute("DROP PUBLICATION IF EXISTS drs_" + taskId);
        }
    }
}
