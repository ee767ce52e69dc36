package com.datarsync.milvus.domain;

import java.util.List;

/** Milvus boolean expressions built from values that may hold any character, such as row keys. */
public final class MilvusExpressions {

    private MilvusExpressions() {
    }

    /** {@code field in ["a", "b"]}, each value quoted. */
    public static String in(String field, List<String> values) {
        StringBuilder out = new StringBuilder(field).append(" in [");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
        }
        return out.append(']').toString();
    }

    /**
     * {@code field like "prefix%"}: the entities whose field starts with the prefix, and possibly
     * a few more ({@code _} and {@code %} inside the prefix are wildcards to Milvus), so callers
     * check the prefix again on what comes back.
     */
    public static String startsWith(String field, String prefix) {
        return field + " like " + quote(prefix + "%");
    }

    /**
     * A double-quoted string literal. Milvus reads it as a Go string literal: backslash and quote
     * are escaped, control characters written as escapes (a raw line break would end the literal),
     * and everything else, any script or emoji, stays as it is.
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
