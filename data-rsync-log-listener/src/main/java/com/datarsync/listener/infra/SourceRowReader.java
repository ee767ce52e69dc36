package com.datarsync.listener.infra;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.RowKey;
import com.datarsync.common.source.JdbcColumnValues;
import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a task's source tables over plain JDBC, for a verification and its repair: every row key
 * (streamed, never held whole), and whole rows by key, normalised as the capture normalises them
 * ({@link JdbcColumnValues}) and keyed by the same row keys ({@link RowKey}). One reader is one
 * connection; close it.
 */
public final class SourceRowReader implements AutoCloseable {

    /** Rows fetched per round trip while streaming keys. */
    private static final int FETCH = 5_000;
    /** Keys per {@code SELECT ... WHERE} of a read by key. */
    private static final int KEYS_PER_QUERY = 200;

    private final SyncTaskDefinition task;
    private final SourceKind kind;
    private final Connection connection;
    private final boolean qualifiedKeys;
    /** Per qualified table name: the table, its key columns. */
    private final Map<String, TableKeys> tables = new LinkedHashMap<>();

    /** A captured table and the columns its row keys are made of, in key order. */
    public record TableKeys(SyncTaskDefinition.Table table, String schema, String qualifiedName,
            List<String> keyColumns) {
    }

    public SourceRowReader(SyncTaskDefinition task, SourceEndpoint endpoint) throws SQLException {
        this.task = task;
        this.kind = SourceKind.byId(task.source().kind()).orElseThrow();
        this.qualifiedKeys = task.tables().size() > 1;
        this.connection = SourceConnections.open(endpoint);
        try {
            if (kind.isMySqlFamily()) {
                try (Statement s = connection.createStatement()) {
                    // TIMESTAMP columns are instants: read them in UTC, as the capture does.
                    s.execute("SET time_zone = '+00:00'");
                }
            }
            // A streamed result set needs a transaction on PostgreSQL; a consistent read suits all.
            connection.setAutoCommit(false);
            Map<String, List<String>> configured = configuredKeyColumns(task);
            for (SyncTaskDefinition.Table table : task.tables()) {
                String schema = table.schemaOrDefault(kind, task.source().database());
                String qualified = schema + "." + table.table();
                List<String> keys = configured.containsKey(qualified) ? configured.get(qualified)
                        : primaryKey(schema, table.table());
                tables.put(qualified, new TableKeys(table, schema, qualified, keys));
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    public List<TableKeys> tables() {
        return List.copyOf(tables.values());
    }

    /** Calls {@code rowKey} with the row key of every row of the table, streaming. */
    public void forEachKey(TableKeys table, Consumer<String> rowKey) throws SQLException {
        if (table.keyColumns().isEmpty()) {
            throw new SQLException("table " + table.qualifiedName() + " has no primary key");
        }
        String sql = "SELECT " + String.join(", ", table.keyColumns().stream().map(this::quote).toList())
                + " FROM " + name(table);
        try (Statement s = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            // MySQL Connector/J streams only with this special value; the others with a fetch size.
            s.setFetchSize(kind == SourceKind.MYSQL ? Integer.MIN_VALUE : FETCH);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    List<Object> values = new ArrayList<>(table.keyColumns().size());
                    for (int i = 1; i <= table.keyColumns().size(); i++) {
                        values.add(JdbcColumnValues.read(rs, i, kind));
                    }
                    rowKey.accept(rowKey(table, values));
                }
            }
        }
        connection.commit();
    }

    /**
     * The rows the source holds now for the given row keys, as snapshot-read change events (op
     * {@code r}), by row key. A key whose row does not exist is absent from the answer; so is a
     * key that is no row key of this task (unknown table prefix, wrong number of key values).
     */
    public Map<String, ChangeEvent> read(List<String> rowKeys) throws SQLException {
        Map<TableKeys, List<List<String>>> byTable = new LinkedHashMap<>();
        for (String rowKey : rowKeys) {
            Parsed parsed = parse(rowKey);
            if (parsed != null) {
                byTable.computeIfAbsent(parsed.table(), t -> new ArrayList<>()).add(parsed.values());
            }
        }
        Map<String, ChangeEvent> out = new HashMap<>();
        for (Map.Entry<TableKeys, List<List<String>>> entry : byTable.entrySet()) {
            List<List<String>> keys = entry.getValue();
            for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
                readBatch(entry.getKey(), keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY)), out);
            }
        }
        connection.commit();
        return out;
    }

    /** The table a row key belongs to (the first one for a key of no table of this task). */
    public TableKeys tableOf(String rowKey) {
        Parsed parsed = parse(rowKey);
        return parsed != null ? parsed.table() : tables.values().iterator().next();
    }

    private void readBatch(TableKeys table, List<List<String>> keys, Map<String, ChangeEvent> out)
            throws SQLException {
        String one = "(" + String.join(" AND ", table.keyColumns().stream().map(c -> quote(c) + " = ?").toList()) + ")";
        List<String> types = keyTypes(table);
        List<List<Object>> bound = new ArrayList<>();
        for (List<String> key : keys) {
            try {
                List<Object> values = new ArrayList<>(key.size());
                for (int i = 0; i < key.size(); i++) {
                    values.add(bindable(types.get(i), key.get(i)));
                }
                bound.add(values);
            } catch (IllegalArgumentException noValueOfTheColumn) {
                // Not asked for: the row is then absent from the answer, which the verification reports.
            }
        }
        if (bound.isEmpty()) {
            return;
        }
        String sql = "SELECT * FROM " + name(table) + " WHERE " + String.join(" OR ", java.util.Collections.nCopies(
                bound.size(), one));
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int index = 1;
            for (List<Object> key : bound) {
                for (Object value : key) {
                    if (value instanceof byte[] bytes) {
                        ps.setBytes(index++, bytes);
                    } else if (value instanceof java.math.BigDecimal number) {
                        ps.setBigDecimal(index++, number);
                    } else {
                        ps.setString(index++, (String) value);
                    }
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), JdbcColumnValues.read(rs, i, kind));
                    }
                    List<Object> keyValues = table.keyColumns().stream().map(row::get).toList();
                    String rowKey = rowKey(table, keyValues);
                    out.put(rowKey, new ChangeEvent(ChangeEvent.VERSION, task.id(), new ChangeEvent.Source(
                            kind.id(), task.source().database(), table.schema(), table.table().table(), null,
                            System.currentTimeMillis(), false), ChangeEvent.Op.r, rowKey, null, row));
                }
            }
        }
    }

    private final Map<String, List<String>> keyTypes = new HashMap<>();

    /** The key columns' types, in key order (ColumnTypes). */
    private List<String> keyTypes(TableKeys table) throws SQLException {
        List<String> known = keyTypes.get(table.qualifiedName());
        if (known != null) {
            return known;
        }
        Map<String, String> byColumn = ColumnTypes.of(kind, connection, table.schema(), table.table().table());
        List<String> types = table.keyColumns().stream().map(c -> byColumn.getOrDefault(c, "")).toList();
        keyTypes.put(table.qualifiedName(), types);
        return types;
    }

    /**
     * A key value, written as the row key carries it (docs/data-path.md "Types"), as a value the
     * source compares with its column: binary from base64, a bit string as its number (MySQL),
     * YEAR 0 as 0000 (MySQL reads '0' as 2000), ISO years past 9999 and BC as PostgreSQL writes
     * them, an instant without its Z (MySQL sessions here run in UTC). Everything else as text,
     * which the server casts to the column (PostgreSQL: the connection sends strings untyped).
     * Throws IllegalArgumentException for a value that is no value of the column.
     */
    private Object bindable(String type, String value) {
        boolean postgres = kind == SourceKind.POSTGRES;
        return switch (type) {
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bytea" ->
                    java.util.Base64.getDecoder().decode(value);
            case "bit" -> postgres ? value : new java.math.BigDecimal(new java.math.BigInteger(value, 2));
            case "year" -> "0".equals(value) ? "0000" : value;
            case "timestamp" -> postgres ? postgresDate(value)
                    : value.endsWith("Z") ? value.substring(0, value.length() - 1) : value;
            case "date", "timestamptz" -> postgres ? postgresDate(value) : value;
            default -> value;
        };
    }

    /** An ISO date(-time) with an expanded or non-positive year as PostgreSQL reads it: {@code +5874897-…} without the sign, year 0 and before as BC. */
    static String postgresDate(String iso) {
        if (iso.startsWith("+")) {
            return iso.substring(1);
        }
        int dash = iso.indexOf('-', 1);
        long year = Long.parseLong(iso.substring(0, dash));
        return year > 0 ? iso : String.format(java.util.Locale.ROOT, "%04d", 1 - year) + iso.substring(dash) + " BC";
    }

    private String rowKey(TableKeys table, List<?> values) {
        String key = RowKey.of(values);
        return qualifiedKeys ? RowKey.qualified(table.qualifiedName(), key) : key;
    }

    private record Parsed(TableKeys table, List<String> values) {
    }

    /** Splits a row key into its table and key values (the inverse of {@link RowKey}); null if it is none of ours. */
    private Parsed parse(String rowKey) {
        TableKeys table;
        String key;
        if (qualifiedKeys) {
            int slash = rowKey.indexOf('/');
            table = slash < 0 ? null : tables.get(rowKey.substring(0, slash));
            key = slash < 0 ? null : rowKey.substring(slash + 1);
        } else {
            table = tables.values().iterator().next();
            key = rowKey;
        }
        if (table == null || table.keyColumns().isEmpty()) {
            return null;
        }
        List<String> values = table.keyColumns().size() == 1 ? List.of(key) : splitKey(key);
        return values.size() == table.keyColumns().size() ? new Parsed(table, values) : null;
    }

    /** Splits on {@code |} not escaped by {@code \}, removing the escapes. */
    static List<String> splitKey(String key) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' && i + 1 < key.length()) {
                current.append(key.charAt(++i));
            } else if (c == '|') {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    private List<String> primaryKey(String schema, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        Map<Integer, String> bySequence = new java.util.TreeMap<>();
        try (ResultSet rs = kind == SourceKind.POSTGRES ? meta.getPrimaryKeys(null, schema, table)
                : meta.getPrimaryKeys(schema, null, table)) {
            while (rs.next()) {
                bySequence.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(bySequence.values());
    }

    /**
     * The key columns named by Debezium's {@code message.key.columns} option
     * ({@code <schema>.<table>:<column>,<column>;...}), by qualified table name.
     */
    private static Map<String, List<String>> configuredKeyColumns(SyncTaskDefinition task) {
        Map<String, List<String>> out = new HashMap<>();
        String option = task.source().options() == null ? null : task.source().options().get("message.key.columns");
        if (option == null || option.isBlank()) {
            return out;
        }
        for (String entry : option.split(";")) {
            int colon = entry.lastIndexOf(':');
            if (colon > 0) {
                out.put(entry.substring(0, colon).trim(), Arrays.stream(entry.substring(colon + 1).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList());
            }
        }
        return out;
    }

    private String quote(String identifier) {
        String q = kind == SourceKind.POSTGRES ? "\"" : "`";
        return q + identifier.replace(q, q + q) + q;
    }

    private String name(TableKeys table) {
        return quote(table.schema()) + "." + quote(table.table().table());
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
