package com.datarsync.datasource.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.TextTemplate;
import com.datarsync.common.task.SourceKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text a task's template would embed for the first rows of a table, so the console can show
 * it while a task is being written. It reads only the template's columns and the primary key, at
 * most {@link #MAX_ROWS} rows in key order, and writes each value as the listener carries it
 * (JdbcColumnValues, the reading the listener's verification uses and the type matrix checks
 * against the capture) and as data-process renders it (CarriedValues.templateText) with the
 * same {@link TextTemplate} data-process uses. Table and column names reach the SQL text only after
 * the metadata confirmed them, quoted as identifiers.
 */
public final class TemplatePreview {

    public static final int MAX_ROWS = 20;

    /** One row: its primary key and template columns as text (null for NULL), and the rendered text. */
    public record Row(Map<String, String> values, String text) {
    }

    public record Preview(List<String> columns, List<String> keyColumns, List<Row> rows) {
    }

    private TemplatePreview() {
    }

    static Preview of(SourceKind type, Connection connection, SourceMetadata metadata, String schema, String table,
            String templateText, int limit) throws SQLException {
        if (limit < 1 || limit > MAX_ROWS) {
            throw invalid("limit", "from 1 to " + MAX_ROWS);
        }
        TextTemplate template;
        try {
            template = TextTemplate.parse(templateText == null ? "" : templateText);
        } catch (IllegalArgumentException e) {
            throw invalid("template", e.getMessage());
        }
        List<SourceMetadata.Column> columns = metadata.columns(schema, table);
        Map<String, SourceMetadata.Column> byName = new LinkedHashMap<>();
        columns.forEach(c -> byName.put(c.name(), c));
        List<String> missing = template.columns().stream().filter(c -> !byName.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw invalid("template", "names columns the table does not have: " + String.join(", ", missing));
        }
        List<String> keys = columns.stream().filter(SourceMetadata.Column::primaryKey).map(SourceMetadata.Column::name)
                .toList();
        Set<String> read = new LinkedHashSet<>(keys);
        read.addAll(template.columns());

        String quote = connection.getMetaData().getIdentifierQuoteString().trim();
        StringBuilder sql = new StringBuilder("SELECT ");
        sql.append(String.join(", ", read.stream().map(c -> quoted(quote, c)).toList()));
        sql.append(" FROM ").append(quoted(quote, schema)).append('.').append(quoted(quote, table));
        if (!keys.isEmpty()) {
            sql.append(" ORDER BY ").append(String.join(", ", keys.stream().map(c -> quoted(quote, c)).toList()));
        }
        sql.append(" LIMIT ?");
        if (type.isMySqlFamily()) {
            try (java.sql.Statement session = connection.createStatement()) {
                session.execute("SET time_zone = '+00:00'");
            }
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            ps.setInt(1, limit);
            ps.setQueryTimeout(10);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        values.put(meta.getColumnLabel(i), asCarried(type, rs, i, meta));
                    }
                    rows.add(new Row(values, template.render(values, Object::toString)));
                }
            }
        }
        return new Preview(List.copyOf(read), keys, rows);
    }

    /**
     * A value as the listener writes it into a change event (JdbcColumnValues, the listener's own
     * JDBC reading), as the text data-process puts in a template (CarriedValues); null for NULL.
     */
    static String asCarried(SourceKind type, ResultSet rs, int column, ResultSetMetaData meta) throws SQLException {
        Object value = com.datarsync.common.source.JdbcColumnValues.read(rs, column, type);
        return value == null ? null : com.datarsync.common.source.CarriedValues.templateText(value);
    }

    static String quoted(String quote, String name) {
        return quote + name.replace(quote, quote + quote) + quote;
    }

    private static DataRsyncException invalid(String field, String reason) {
        return new DataRsyncException(ErrorCode.VALIDATION_FAILED, "Invalid preview: " + field + " " + reason,
                Map.of("fields", Map.of(field, reason)), null);
    }
}
