package com.datarsync.listener.domain;

import com.datarsync.common.source.CarriedValues;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns a Debezium column value into the product's normalised form (docs/data-path.md, "Types"),
 * so the rest of the pipeline never sees a Debezium or Kafka Connect type.
 *
 * <p>Time rule: values without a zone (DATE, TIME, DATETIME, PostgreSQL {@code timestamp}) are
 * passed through as written in the source, never shifted; values that are instants (MySQL
 * {@code TIMESTAMP}, PostgreSQL {@code timestamptz}) are written in UTC with a {@code Z}.
 */
public final class ColumnValues {

    private static final DateTimeFormatter LOCAL_DATE_TIME = CarriedValues.LOCAL_DATE_TIME;
    private static final DateTimeFormatter INSTANT = CarriedValues.INSTANT;

    private static final java.math.BigDecimal LONG_MAX = java.math.BigDecimal.valueOf(Long.MAX_VALUE);

    private ColumnValues() {
    }

    public static Object normalise(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date":
                    return date(((Number) value).longValue());
                case "io.debezium.time.Time":
                    return CarriedValues.time(TimeUnit.MILLISECONDS.toNanos(((Number) value).longValue()));
                case "io.debezium.time.MicroTime":
                    return CarriedValues.time(TimeUnit.MICROSECONDS.toNanos(((Number) value).longValue()));
                case "io.debezium.time.NanoTime":
                    return CarriedValues.time(((Number) value).longValue());
                // Epoch counts are split into seconds and a fraction in their own unit: turned into
                // nanoseconds first they would overflow before 1677 and after 2262 (MySQL DATETIME
                // runs from year 1000, PostgreSQL timestamp from 4713 BC).
                case "io.debezium.time.Timestamp":
                    return localDateTime(((Number) value).longValue(), 1_000L);
                case "io.debezium.time.MicroTimestamp":
                    return localDateTime(((Number) value).longValue(), 1_000_000L);
                case "io.debezium.time.NanoTimestamp":
                    return localDateTime(((Number) value).longValue(), 1_000_000_000L);
                case "io.debezium.time.ZonedTime":
                    // PostgreSQL timetz: the same instant of the day in UTC.
                    return CarriedValues.utcTimeOfDay((String) value);
                case "io.debezium.time.Interval":
                    return interval((String) value);
                case "io.debezium.time.ZonedTimestamp":
                    return INSTANT.format(OffsetDateTime.parse((String) value).toInstant());
                case "org.apache.kafka.connect.data.Decimal":
                    // Only BIGINT UNSIGNED arrives so (other decimals come as text): a whole number,
                    // a long where it fits, as JdbcColumnValues reads the same column.
                    java.math.BigDecimal exact = (java.math.BigDecimal) value;
                    if (exact.scale() > 0) {
                        return exact.toPlainString();
                    }
                    return exact.compareTo(LONG_MAX) <= 0 ? (Object) exact.longValueExact() : exact.toBigIntegerExact();
                case "io.debezium.data.Bits":
                    return bits(schema, value);
                case "org.apache.kafka.connect.data.Date":
                    return LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString();
                case "org.apache.kafka.connect.data.Timestamp":
                    return LOCAL_DATE_TIME.format(LocalDateTime.ofInstant(((java.util.Date) value).toInstant(),
                            ZoneOffset.UTC));
                default:
                    break;
            }
        }
        if (value instanceof String text && "MONEY".equalsIgnoreCase(sourceType(schema))) {
            return money(text);
        }
        if (value instanceof String text && isNumericColumn(schema)) {
            // Debezium names PostgreSQL's special numerics its own way; written as PostgreSQL writes them.
            switch (text) {
                case "NAN":
                    return "NaN";
                case "POSITIVE_INFINITY":
                    return "Infinity";
                case "NEGATIVE_INFINITY":
                    return "-Infinity";
                default:
                    break;
            }
        }
        return switch (schema.type()) {
            case BYTES -> Base64.getEncoder().encodeToString(value instanceof ByteBuffer b ? bytes(b) : (byte[]) value);
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object item : (List<?>) value) {
                    out.add(normalise(schema.valueSchema(), item));
                }
                yield out;
            }
            // Spatial and other structured types: their text form; docs/data-path.md lists them as unsupported.
            case STRUCT -> ((Struct) value).toString();
            default -> value;
        };
    }

    /**
     * A BIT(n) / bit varying value as its bit string, most significant bit first, as long as the
     * column declares ({@code 0101}; MySQL's {@code LPAD(BIN(b), n, '0')}, PostgreSQL's own text).
     * Debezium hands the bits over little-endian, so their bytes read as base64 would not be the
     * value anyone wrote.
     */
    private static String bits(Schema schema, Object value) {
        byte[] littleEndian = value instanceof ByteBuffer b ? bytes(b) : value instanceof byte[] a ? a
                : Base64.getDecoder().decode((String) value);
        String declared = schema.parameters() == null ? null : schema.parameters().get("length");
        return CarriedValues.bitString(littleEndian, declared != null ? Integer.parseInt(declared) : littleEndian.length * 8);
    }

    /** The column's source type (Debezium's column.propagate.source.type); null when not propagated. */
    private static String sourceType(Schema schema) {
        return schema.parameters() == null ? null : schema.parameters().get("__debezium.source.column.type");
    }

    private static boolean isNumericColumn(Schema schema) {
        String type = sourceType(schema);
        return type != null && (type.equalsIgnoreCase("NUMERIC") || type.equalsIgnoreCase("DECIMAL"));
    }

    private static final java.math.BigDecimal MONEY_EXACT_BELOW = new java.math.BigDecimal("1E13");

    /**
     * A PostgreSQL money value, with its two fraction digits ({@code 12.00}). Debezium reads money
     * as a double: below 10^13 (15 significant digits) the double's shortest text is the exact
     * amount; a larger amount may have lost digits and is refused.
     */
    static String money(String debezium) {
        java.math.BigDecimal amount = new java.math.BigDecimal(debezium);
        if (amount.abs().compareTo(MONEY_EXACT_BELOW) >= 0) {
            throw new IllegalArgumentException("a money amount of 10^13 or more, which Debezium reads as a double "
                    + "and may have rounded");
        }
        return amount.setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** A date from days since 1970-01-01; beyond PostgreSQL's 4714 BC to 5874897 AD it is an infinity's stand-in, refused. */
    static String date(long epochDay) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        if (d.getYear() > 5_874_897 || d.getYear() < -4_713) {
            throw new IllegalArgumentException("not a date any source holds (infinity?)");
        }
        return d.toString();
    }

    /**
     * A zoneless date-time from a count of {@code 1/perSecond} seconds since 1970-01-01T00:00.
     * Refused, never written as a date: counts before 4714 BC, and from the year 294247 on, where
     * Debezium's 64-bit microseconds end (PostgreSQL goes on to 294276; Debezium's value for a
     * later one has overflowed) and where it puts PostgreSQL's {@code infinity}.
     */
    static String localDateTime(long count, long perSecond) {
        long nanos = Math.floorMod(count, perSecond) * (1_000_000_000L / perSecond);
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(count, perSecond), (int) nanos, ZoneOffset.UTC);
        if (t.getYear() >= 294_247 || t.getYear() < -4_713) {
            throw new IllegalArgumentException("not a date-time any source holds (infinity?)");
        }
        return LOCAL_DATE_TIME.format(t);
    }

    private static final java.util.regex.Pattern DEBEZIUM_INTERVAL = java.util.regex.Pattern.compile(
            "P(-?\\d+)Y(-?\\d+)M(-?\\d+)DT(-?\\d+)H(-?\\d+)M(-?[\\d.]+)S");

    /** Debezium's interval text ({@code interval.handling.mode=string}) as PostgreSQL's ISO 8601 ({@link CarriedValues#isoInterval}). */
    static String interval(String debezium) {
        java.util.regex.Matcher m = DEBEZIUM_INTERVAL.matcher(debezium);
        if (!m.matches()) {
            throw new IllegalArgumentException("an interval Debezium wrote in an unknown form");
        }
        return CarriedValues.isoInterval(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                new java.math.BigDecimal(m.group(6)));
    }
}
