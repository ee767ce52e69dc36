package com.datarsync.common.event;

import java.math.BigDecimal;
import java.util.List;

/**
 * The text form of a row's primary key, used as the Milvus primary key and Kafka message key.
 *
 * <ul>
 *   <li>One key column: the value as text ({@code 42}, {@code abc}).</li>
 *   <li>Several key columns: the values in key-column order joined by {@code |}; a {@code |} or
 *       {@code \} inside a value is escaped with {@code \}.</li>
 *   <li>When a task captures several tables, {@code schema.table/} precedes the key so rows of
 *       different tables never share one.</li>
 * </ul>
 * Numbers are written without exponent or trailing zeros after the point ({@code 1.50} is
 * {@code 1.5}), so the same key always yields the same text.
 */
public final class RowKey {

    private RowKey() {
    }

    public static String of(List<?> keyValues) {
        if (keyValues.size() == 1) {
            return text(keyValues.get(0));
        }
        StringBuilder out = new StringBuilder();
        for (Object value : keyValues) {
            if (!out.isEmpty()) {
                out.append('|');
            }
            out.append(text(value).replace("\\", "\\\\").replace("|", "\\|"));
        }
        return out.toString();
    }

    public static String qualified(String qualifiedTable, String key) {
        return qualifiedTable + "/" + key;
    }

    /**
     * The change-topic key of a row ({@code schema.table/<row key>}), from its row key: a
     * multi-table task's row keys start with their table already, a one-table task's belong to
     * {@code onlyTable}.
     */
    public static String changeKey(String rowKey, boolean qualifiedKeys, String onlyTable) {
        if (!qualifiedKeys) {
            return onlyTable + "/" + rowKey;
        }
        return rowKey.substring(0, rowKey.indexOf('/') + 1) + rowKey;
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            return new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }
}
