package com.datarsync.common.source;

import com.datarsync.common.task.SourceKind;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads a column over JDBC into the same normalised value the capture gives the same column
 * (the listener's ColumnValues, docs/data-path.md "Types"), so a row read by key for a
 * verification or a repair, or shown in a template preview, is indistinguishable from one Debezium
 * read. MySQL-family connections must run in session time zone UTC ({@code TIMESTAMP} columns are
 * instants).
 *
 * <p>Proven against the capture for every type of the type matrix by {@code TypeMatrixMariaDbIT}
 * and {@code TypeMatrixPostgresIT} (a verification with every row sampled finds no stale row).
 * Not covered, as in the capture's own table: spatial types.
 */
public final class JdbcColumnValues {

    private JdbcColumnValues() {
    }

    public static Object read(ResultSet rs, int column, SourceKind kind) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        String type = meta.getColumnTypeName(column).toUpperCase(Locale.ROOT);
        return kind == SourceKind.POSTGRES ? postgres(rs, column, type) : mysqlFamily(rs, column, type, meta);
    }

    private static Object mysqlFamily(ResultSet rs, int column, String type, ResultSetMetaData meta)
            throws SQLException {
        String base = type.replace(" UNSIGNED", "");
        Object value;
        switch (base) {
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "YEAR", "BOOLEAN", "BOOL" -> {
                // TINYINT(1) is a number 0/1 in the capture, not a boolean; YEAR a number too.
                BigDecimal n = rs.getBigDecimal(column);
                value = n == null ? null : number(n);
            }
            case "BIT" -> {
                byte[] bytes = rs.getBytes(column);
                if (bytes == null) {
                    return null;
                }
                if (meta.getPrecision(column) <= 1) {
                    return bytes.length > 0 && bytes[bytes.length - 1] != 0;
                }
                // The server sends the bits big-endian; the capture's bit string (ColumnValues) reads little-endian.
                byte[] reversed = new byte[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    reversed[i] = bytes[bytes.length - 1 - i];
                }
                return CarriedValues.bitString(reversed, meta.getPrecision(column));
            }
            case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> {
                BigDecimal d = rs.getBigDecimal(column);
                value = d == null ? null : d.toPlainString();
            }
            case "FLOAT" -> value = rs.getObject(column) == null ? null : (Object) rs.getFloat(column);
            case "DOUBLE", "REAL", "DOUBLE PRECISION" -> value = rs.getObject(column) == null ? null
                    : (Object) rs.getDouble(column);
            case "DATE" -> {
                LocalDate d = rs.getObject(column, LocalDate.class);
                value = d == null ? null : d.toString();
            }
            case "TIME" -> value = mysqlTime(rs.getString(column));
            case "DATETIME" -> {
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                value = t == null ? null : CarriedValues.LOCAL_DATE_TIME.format(t);
            }
            case "TIMESTAMP" -> {
                // The session runs in UTC, so the local date-time read is the instant in UTC.
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                value = t == null ? null : CarriedValues.INSTANT.format(t.toInstant(ZoneOffset.UTC));
            }
            case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> {
                byte[] bytes = rs.getBytes(column);
                value = bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
            }
            default -> value = rs.getString(column);
        }
        return rs.wasNull() ? null : value;
    }

    private static Object postgres(ResultSet rs, int column, String type) throws SQLException {
        if (type.startsWith("_")) {
            Array array = rs.getArray(column);
            if (array == null) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            try (ResultSet items = array.getResultSet()) {
                // Each row of an array's result set is (index, value).
                while (items.next()) {
                    out.add(postgres(items, 2, type.substring(1)));
                }
            }
            return out;
        }
        Object value = switch (type) {
            case "INT2", "INT4", "INT8", "SERIAL", "BIGSERIAL", "OID" -> {
                BigDecimal n = rs.getBigDecimal(column);
                yield n == null ? null : number(n);
            }
            case "BOOL" -> rs.getObject(column) == null ? null : (Object) rs.getBoolean(column);
            case "NUMERIC" -> {
                // As text: NaN and ±Infinity are no BigDecimal.
                String text = rs.getString(column);
                yield text == null || !Character.isDigit(text.charAt(text.length() - 1)) ? text
                        : new BigDecimal(text).toPlainString();
            }
            case "MONEY" -> money(rs.getString(column));
            case "FLOAT4" -> rs.getObject(column) == null ? null : (Object) rs.getFloat(column);
            case "FLOAT8" -> rs.getObject(column) == null ? null : (Object) rs.getDouble(column);
            case "DATE" -> {
                LocalDate d = rs.getObject(column, LocalDate.class);
                yield d == null ? null : d.toString();
            }
            // As text: the driver would read 24:00:00 as 23:59:59.999999999.
            case "TIME" -> mysqlTime(rs.getString(column));
            case "TIMETZ" -> {
                String t = rs.getString(column);
                yield t == null ? null : CarriedValues.utcTimeOfDay(t);
            }
            case "INTERVAL" -> interval(rs.getObject(column));
            case "BIT" -> {
                String bits = rs.getString(column);
                yield bits == null ? null : bits.length() == 1 && rs.getMetaData().getPrecision(column) <= 1
                        ? (Object) "1".equals(bits) : bits;
            }
            case "TIMESTAMP" -> {
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                yield t == null ? null : CarriedValues.LOCAL_DATE_TIME.format(t);
            }
            case "TIMESTAMPTZ" -> {
                OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
                yield t == null ? null : CarriedValues.INSTANT.format(t.toInstant());
            }
            case "BYTEA" -> {
                byte[] bytes = rs.getBytes(column);
                yield bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
            }
            default -> rs.getString(column);
        };
        return rs.wasNull() ? null : value;
    }

    private static final java.util.regex.Pattern PG_INTERVAL = java.util.regex.Pattern.compile(
            "(-?\\d+) years (-?\\d+) mons (-?\\d+) days (-?\\d+) hours (-?\\d+) mins (-?[\\d.]+) secs");

    /** pgjdbc's interval ({@code PGInterval}, whose text names every part) as the capture writes it. */
    private static String interval(Object pgInterval) {
        if (pgInterval == null) {
            return null;
        }
        java.util.regex.Matcher m = PG_INTERVAL.matcher(pgInterval.toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("an interval in an unknown form: " + pgInterval);
        }
        return CarriedValues.isoInterval(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                new BigDecimal(m.group(6)));
    }

    /**
     * PostgreSQL's text of a money amount ({@code -$9,999.99}, {@code ($12.00)}; a locale whose
     * decimal mark is a dot) as the capture writes it, with two fraction digits.
     */
    private static String money(String text) {
        if (text == null) {
            return null;
        }
        String digits = text.replaceAll("[^0-9.]", "");
        boolean negative = text.contains("-") || text.contains("(");
        return new BigDecimal((negative ? "-" : "") + digits).setScale(2, java.math.RoundingMode.UNNECESSARY)
                .toPlainString();
    }

    /** A whole number as the smallest Java type that holds it (as the capture gives it). */
    private static Object number(BigDecimal n) {
        try {
            return n.longValueExact();
        } catch (ArithmeticException tooLarge) {
            return n.toBigInteger();
        }
    }

    /** MySQL TIME is a duration of up to 838 hours, possibly negative; within one day it is a time of day. */
    private static String mysqlTime(String text) {
        return text == null ? null : CarriedValues.time(text);
    }
}
