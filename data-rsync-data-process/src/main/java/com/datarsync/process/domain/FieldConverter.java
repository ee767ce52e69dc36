package com.datarsync.process.domain;

import com.datarsync.common.event.EventJson;
import com.datarsync.common.task.SyncTaskDefinition.ScalarField;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Converts a normalised column value (see ChangeEvent) to the Milvus type of its target field.
 * A value that does not fit (text in an INT64 field, a number out of range, text longer than
 * the field) is refused with the reason, never truncated or rounded silently.
 */
public final class FieldConverter {

    private FieldConverter() {
    }

    public static Object convert(Object value, ScalarField field) {
        if (value == null) {
            return null;
        }
        try {
            return switch (field.type()) {
                case BOOL -> toBoolean(value);
                case INT8 -> integer(value, Byte.MIN_VALUE, Byte.MAX_VALUE).intValue();
                case INT16 -> integer(value, Short.MIN_VALUE, Short.MAX_VALUE).intValue();
                case INT32 -> integer(value, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
                case INT64 -> integer(value, Long.MIN_VALUE, Long.MAX_VALUE).longValue();
                case FLOAT -> toFloat(value);
                case DOUBLE -> toDouble(value);
                case VARCHAR -> varchar(value, field.maxLengthOrDefault());
                case JSON -> json(value);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new RecordRejectedException("field '" + field.name() + "': '" + value + "' is not a valid "
                    + field.type());
        }
    }

    /** The text a column contributes to the embedded template (CarriedValues, as the template preview shows it). */
    public static String asText(Object value) {
        return com.datarsync.common.source.CarriedValues.templateText(value);
    }

    private static Boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            // MySQL BOOLEAN is TINYINT(1): any non-zero is true, as MySQL itself reads it.
            return n.longValue() != 0;
        }
        String text = value.toString().trim().toLowerCase();
        return switch (text) {
            case "true", "t", "1", "yes", "y" -> true;
            case "false", "f", "0", "no", "n" -> false;
            default -> throw new NumberFormatException(text);
        };
    }

    /**
     * A binary floating-point number is taken as it is (so -0.0 keeps its sign); a decimal or its
     * text is rounded to the nearest double. NaN and the infinities are refused.
     */
    private static double toDouble(Object value) {
        double d = value instanceof Double || value instanceof Float ? ((Number) value).doubleValue()
                : decimal(value).doubleValue();
        if (!Double.isFinite(d)) {
            throw new NumberFormatException("not finite");
        }
        return d;
    }

    /** As {@link #toDouble}, rounded to the nearest float; a value beyond the float's range is refused, never made infinite. */
    private static float toFloat(Object value) {
        float f = (float) toDouble(value);
        if (!Float.isFinite(f)) {
            throw new ArithmeticException("beyond the range of FLOAT");
        }
        return f;
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal d ? d : new BigDecimal(value.toString().trim());
    }

    private static BigInteger integer(Object value, long min, long max) {
        BigInteger i = decimal(value).toBigIntegerExact();
        if (i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ArithmeticException("out of range");
        }
        return i;
    }

    private static String varchar(Object value, int maxLength) {
        String text = asText(value);
        // Milvus counts VARCHAR max_length in bytes of UTF-8.
        int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > maxLength) {
            throw new RecordRejectedException("text of " + bytes + " bytes exceeds the field's maxLength " + maxLength);
        }
        return text;
    }

    private static Object json(Object value) {
        if (!(value instanceof String text)) {
            return value;
        }
        try {
            return EventJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new RecordRejectedException("not JSON: " + e.getOriginalMessage());
        }
    }
}
