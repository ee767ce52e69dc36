package com.datarsync.listener.domain;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
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

    public static final DateTimeFormatter LOCAL_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    public static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    public static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

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
                    return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
                case "io.debezium.time.Time":
                    return time(TimeUnit.MILLISECONDS.toNanos(((Number) value).longValue()));
                case "io.debezium.time.MicroTime":
                    return time(TimeUnit.MICROSECONDS.toNanos(((Number) value).longValue()));
                case "io.debezium.time.NanoTime":
                    return time(((Number) value).longValue());
                // Epoch counts are split into seconds and a fraction in their own unit: turned into
                // nanoseconds first they would overflow before 1677 and after 2262 (MySQL DATETIME
                // runs from year 1000, PostgreSQL timestamp from 4713 BC).
                case "io.debezium.time.Timestamp":
                    return localDateTime(((Number) value).longValue(), 1_000L);
                case "io.debezium.time.MicroTimestamp":
                    return localDateTime(((Number) value).longValue(), 1_000_000L);
                case "io.debezium.time.NanoTimestamp":
                    return localDateTime(((Number) value).longValue(), 1_000_000_000L);
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
                case "org.apache.kafka.connect.data.Date":
                    return LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString();
                case "org.apache.kafka.connect.data.Timestamp":
                    return LOCAL_DATE_TIME.format(LocalDateTime.ofInstant(((java.util.Date) value).toInstant(),
                            ZoneOffset.UTC));
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

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    static String time(long nanosOfDay) {
        if (nanosOfDay >= 0 && nanosOfDay < TimeUnit.DAYS.toNanos(1)) {
            return LOCAL_TIME.format(LocalTime.ofNanoOfDay(nanosOfDay));
        }
        // MySQL TIME is a duration (-838:59:59 to 838:59:59); outside one day it stays a duration.
        return java.time.Duration.ofNanos(nanosOfDay).toString();
    }

    /** A zoneless date-time from a count of {@code 1/perSecond} seconds since 1970-01-01T00:00. */
    static String localDateTime(long count, long perSecond) {
        long nanos = Math.floorMod(count, perSecond) * (1_000_000_000L / perSecond);
        return LOCAL_DATE_TIME.format(LocalDateTime.ofEpochSecond(Math.floorDiv(count, perSecond), (int) nanos,
                ZoneOffset.UTC));
    }
}
