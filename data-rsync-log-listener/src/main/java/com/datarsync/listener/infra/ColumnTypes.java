package com.datarsync.listener.infra;

import com.datarsync.common.task.SourceKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A table's column types by column name, from {@code information_schema} by exact schema and
 * table name (JDBC metadata takes patterns, where {@code _} matches any character, and reports
 * MySQL's TINYINT(1) as BIT and PostgreSQL's serial columns as {@code serial}): MySQL / MariaDB's
 * {@code DATA_TYPE} ({@code tinyint}, {@code bit}, {@code varbinary}, …), PostgreSQL's
 * {@code udt_name} ({@code int4}, {@code bytea}, {@code varbit}, …), lower case, in column order.
 */
final class ColumnTypes {

    private ColumnTypes() {
    }

    static Map<String, String> of(SourceKind kind, Connection connection, String schema, String table)
            throws SQLException {
        String sql = kind == SourceKind.POSTGRES
                ? "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
                        + "ORDER BY ordinal_position"
                : "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
                        + "ORDER BY ORDINAL_POSITION";
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }
}
