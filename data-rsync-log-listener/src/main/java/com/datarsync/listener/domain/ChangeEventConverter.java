package com.datarsync.listener.domain;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.RowKey;
import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Converts one Debezium {@link SourceRecord} into a {@link ChangeEvent}: the only place that
 * reads Debezium's envelope. A TRUNCATE becomes an event with op {@code t} and no key or row;
 * heartbeats, tombstones, messages and other non-row records yield nothing.
 */
public final class ChangeEventConverter {

    private final SyncTaskDefinition task;
    private final SourceKind kind;
    private final boolean qualifyKeys;
    /** The incremental snapshot's signal table ({@code schema.table}); its rows are no data. */
    private final String signalTable;

    public ChangeEventConverter(SyncTaskDefinition task) {
        this.task = task;
        this.kind = SourceKind.byId(task.source().kind()).orElseThrow();
        this.qualifyKeys = task.tables().size() > 1;
        this.signalTable = task.source().incrementalSnapshot()
                ? task.source().qualifiedSignalTable(kind) : null;
    }

    /** The converted row change, or empty for records that carry no row change. */
    public Optional<ChangeEvent> convert(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || record.valueSchema().name() == null
                || !record.valueSchema().name().endsWith(".Envelope")) {
            return Optional.empty();
        }
        String opCode = value.getString("op");
        ChangeEvent.Op op;
        switch (opCode) {
            case "c", "u", "d", "r", "t" -> op = ChangeEvent.Op.valueOf(opCode);
            default -> {
                return Optional.empty();
            }
        }
        Struct source = value.getStruct("source");
        String database = source.getString("db");
        String schema = kind.isMySqlFamily() ? database : source.getString("schema");
        String table = source.getString("table");
        if (signalTable != null && signalTable.equalsIgnoreCase(schema + "." + table)) {
            return Optional.empty();
        }
        String snapshot = optionalString(source, "snapshot");
        boolean isSnapshot = snapshot != null && !"false".equals(snapshot) || op == ChangeEvent.Op.r;
        Long tsMs = source.getInt64("ts_ms");

        String key = null;
        if (record.key() instanceof Struct keyStruct) {
            List<Object> keyValues = new ArrayList<>();
            for (Field f : keyStruct.schema().fields()) {
                try {
                    keyValues.add(ColumnValues.normalise(f.schema(), keyStruct.get(f)));
                } catch (RuntimeException e) {
                    // A key value that cannot be carried dead-letters its change like any other value,
                    // under the key as Debezium gave it, instead of stopping the capture.
                    String rawKey = schema + "." + table + "/" + abbreviated(keyStruct);
                    throw new UnconvertibleRecordException("key column '" + f.name() + "' of " + schema + "." + table
                            + ": value '" + abbreviated(keyStruct.get(f)) + "' cannot be carried: " + e.getMessage(),
                            rawKey, e);
                }
            }
            key = RowKey.of(keyValues);
            if (qualifyKeys) {
                key = RowKey.qualified(schema + "." + table, key);
            }
        }
        Map<String, Object> position = new LinkedHashMap<>();
        record.sourceOffset().forEach(position::put);
        String qualifiedKey = schema + "." + table + "/" + key;
        Map<String, Object> before = row(value, "before", schema + "." + table, qualifiedKey);
        Map<String, Object> after = row(value, "after", schema + "." + table, qualifiedKey);
        return Optional.of(new ChangeEvent(ChangeEvent.VERSION, task.id(),
                new ChangeEvent.Source(kind.id(), database, schema, table, position, tsMs == null ? 0 : tsMs, isSnapshot),
                op, key, before, after));
    }

    /** True for the last record of the initial snapshot. */
    public static boolean isLastSnapshotRecord(SourceRecord record) {
        if (record.value() instanceof Struct value && value.schema().field("source") != null) {
            String snapshot = optionalString(value.getStruct("source"), "snapshot");
            return "last".equals(snapshot);
        }
        return false;
    }

    private static String optionalString(Struct struct, String field) {
        Object value = struct.schema().field(field) == null ? null : struct.get(field);
        return value == null ? null : value.toString();
    }

    /** What Debezium puts in place of an unchanged out-of-line (TOAST) value the log did not carry. */
    static final String UNAVAILABLE = "__debezium_unavailable_value";
    private static final String UNAVAILABLE_BASE64 = java.util.Base64.getEncoder()
            .encodeToString(UNAVAILABLE.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /**
     * Whether the value is Debezium's placeholder for a value the log did not carry. Debezium
     * re-reads such a value by key (its re-select post-processor, DebeziumProperties); one that
     * stays a placeholder belongs to a row no longer in the table, and the change is refused
     * rather than written with the placeholder in place of the real value.
     */
    static boolean isUnavailable(Object value) {
        if (value instanceof String text) {
            return text.equals(UNAVAILABLE) || text.equals(UNAVAILABLE_BASE64);
        }
        if (value instanceof List<?> list && list.size() == UNAVAILABLE_BYTES.length
                && list.stream().allMatch(Number.class::isInstance)) {
            // Debezium's placeholder in an integer array: the placeholder's bytes as numbers.
            for (int i = 0; i < UNAVAILABLE_BYTES.length; i++) {
                if (((Number) list.get(i)).longValue() != UNAVAILABLE_BYTES[i]) {
                    return false;
                }
            }
            return true;
        }
        return value instanceof List<?> list && list.size() == 1 && isUnavailable(list.get(0));
    }

    private static final byte[] UNAVAILABLE_BYTES = UNAVAILABLE.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static Map<String, Object> row(Struct envelope, String which, String table, String key) {
        Struct row = envelope.getStruct(which);
        if (row == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : row.schema().fields()) {
            Schema schema = f.schema();
            Object raw = row.get(f);
            Object value;
            try {
                value = ColumnValues.normalise(schema, raw);
            } catch (RuntimeException e) {
                throw new UnconvertibleRecordException("column '" + f.name() + "' of " + table + " (" + which
                        + "): value '" + abbreviated(raw) + "' of type " + (schema.name() != null ? schema.name()
                        : schema.type()) + " cannot be carried: " + e.getMessage(), key, e);
            }
            if ("after".equals(which) && isUnavailable(value)) {
                throw new UnconvertibleRecordException("column '" + f.name() + "' of " + table
                        + ": the log did not carry its unchanged value (the table's REPLICA IDENTITY is not FULL) and "
                        + "re-reading it by key found no row (deleted, or its key changed, later in the log: that "
                        + "change follows); with ALTER TABLE " + table + " REPLICA IDENTITY FULL the log carries it",
                        key, null);
            }
            out.put(f.name(), value);
        }
        return out;
    }

    private static String abbreviated(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
