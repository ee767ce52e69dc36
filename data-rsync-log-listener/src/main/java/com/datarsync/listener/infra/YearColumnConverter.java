package com.datarsync.listener.infra;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.util.Properties;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * MySQL / MariaDB {@code YEAR} columns as the number the server holds. Debezium's own conversion
 * reads every year below 100 as a two-digit year, so the zero year {@code 0000} (which the server
 * allows beside 1901–2155) arrived as 2000, indistinguishable from a real 2000. The server only
 * stores four-digit years, so nothing here needs adjusting.
 */
public final class YearColumnConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    @Override
    public void configure(Properties properties) {
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        if (!"YEAR".equalsIgnoreCase(column.typeName())) {
            return;
        }
        SchemaBuilder schema = SchemaBuilder.int32();
        registration.register(column.isOptional() ? schema.optional() : schema, YearColumnConverter::year);
    }

    /**
     * The year from what the snapshot (a number: the driver's yearIsDateType=false) or the binlog
     * reader hands over. The binlog stores a year as its distance from 1900, 0 meaning 0000, and
     * the reader adds 1900 to it: 1900 (not a YEAR value, which run 1901 to 2155) is 0000.
     */
    static Integer year(Object raw) {
        Integer year = readYear(raw);
        return year != null && year == 1900 ? Integer.valueOf(0) : year;
    }

    private static Integer readYear(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Number n) {
            return n.intValue();
        }
        if (raw instanceof java.time.Year y) {
            return y.getValue();
        }
        if (raw instanceof java.time.temporal.TemporalAccessor t) {
            return t.get(java.time.temporal.ChronoField.YEAR);
        }
        if (raw instanceof java.sql.Date d) {
            return d.toLocalDate().getYear();   // java.sql.Date has no toInstant
        }
        if (raw instanceof java.util.Date d) {
            return d.toInstant().atZone(java.time.ZoneOffset.UTC).getYear();
        }
        return Integer.valueOf(raw.toString().trim());
    }
}
