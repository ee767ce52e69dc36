package com.datarsync.task.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares what a task makes of a source row now (its entities, embedded afresh) with the
 * entities Milvus holds for it: the same entities (chunks), every mapped field equal, and every
 * vector pointing the same way (cosine at least {@link #MIN_COSINE}; a model run twice on one text
 * agrees to far better than that, a vector of another text does not come close).
 */
public final class EntityComparison {

    public static final double MIN_COSINE = 0.999;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 60;

    private EntityComparison() {
    }

    /**
     * Every difference, one line each; empty when Milvus holds exactly what the row gives.
     *
     * @param expected        the row's entities: {@code {primaryKey, fields, vectors}}
     * @param actual          Milvus' entities of the row: field name to value
     * @param primaryKeyField the collection's primary-key field
     */
    public static List<String> differences(List<JsonNode> expected, List<JsonNode> actual, String primaryKeyField) {
        return differences(expected, actual, primaryKeyField, java.util.Set.of());
    }

    /**
     * As above; {@code jsonFields} are the collection's JSON fields, compared as JSON documents
     * (Milvus answers them as text: a JSON string {@code "text"} is held as {@code "\"text\""}).
     */
    public static List<String> differences(List<JsonNode> expected, List<JsonNode> actual, String primaryKeyField,
            java.util.Set<String> jsonFields) {
        Map<String, JsonNode> held = new LinkedHashMap<>();
        actual.forEach(e -> held.put(e.path(primaryKeyField).asText(), e));
        Map<String, JsonNode> wanted = new LinkedHashMap<>();
        expected.forEach(e -> wanted.put(e.path("primaryKey").asText(), e));
        List<String> out = new ArrayList<>();
        if (!held.keySet().equals(wanted.keySet())) {
            out.add("entities: the row gives " + wanted.keySet() + ", Milvus holds " + held.keySet());
        }
        for (Map.Entry<String, JsonNode> entry : wanted.entrySet()) {
            JsonNode entity = held.get(entry.getKey());
            if (entity == null) {
                continue;
            }
            String prefix = wanted.size() > 1 ? entry.getKey() + ": " : "";
            Iterator<Map.Entry<String, JsonNode>> fields = entry.getValue().path("fields").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = entity.get(field.getKey());
                boolean same = sameValue(field.getValue(), jsonFields.contains(field.getKey()) && value != null
                        && value.isTextual() ? parsed(value) : value);
                if (!same) {
                    out.add(prefix + "field '" + field.getKey() + "': source gives " + shown(field.getValue())
                            + ", Milvus holds " + shown(value));
                }
            }
            Iterator<Map.Entry<String, JsonNode>> vectors = entry.getValue().path("vectors").fields();
            while (vectors.hasNext()) {
                Map.Entry<String, JsonNode> vector = vectors.next();
                JsonNode inMilvus = entity.get(vector.getKey());
                double cosine = cosine(vector.getValue(), inMilvus);
                if (!(cosine >= MIN_COSINE)) {
                    out.add(prefix + "vector '" + vector.getKey() + "': cosine " + String.format("%.4f", cosine)
                            + " with the task's model applied to the row now (at least " + MIN_COSINE + " expected)");
                } else if (!sameLength(vector.getValue(), inMilvus)) {
                    // Unnormalised vectors (numeric features) can point the same way and still differ.
                    out.add(prefix + "vector '" + vector.getKey() + "': length " + String.format("%.6g", length(inMilvus))
                            + " in Milvus, " + String.format("%.6g", length(vector.getValue()))
                            + " from the task's model applied to the row now");
                }
            }
        }
        return out;
    }

    /** Values equal as JSON: numbers by value, JSON held as text compared parsed. */
    static boolean sameValue(JsonNode expected, JsonNode actual) {
        boolean expectedNull = expected == null || expected.isNull();
        boolean actualNull = actual == null || actual.isNull();
        if (expectedNull || actualNull) {
            return expectedNull && actualNull;
        }
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.isIntegralNumber() && actual.isIntegralNumber()) {
                return expected.bigIntegerValue().equals(actual.bigIntegerValue());
            }
            double e = expected.doubleValue();
            double a = actual.doubleValue();
            // A FLOAT field holds single precision: equal to about seven digits.
            return Math.abs(e - a) <= 1e-6 * Math.max(1.0, Math.abs(e));
        }
        if (expected.isContainerNode() != actual.isContainerNode()) {
            // A JSON field: one side may hold it as its text.
            return sameValue(parsed(expected), parsed(actual));
        }
        if (expected.isContainerNode()) {
            return expected.equals((a, b) -> sameValue(a, b) ? 0 : 1, actual);
        }
        return Objects.equals(expected.asText(), actual.asText()) && expected.isBoolean() == actual.isBoolean();
    }

    private static JsonNode parsed(JsonNode node) {
        if (node.isTextual()) {
            try {
                return JSON.readTree(node.asText());
            } catch (Exception notJson) {
                return node;
            }
        }
        return node;
    }

    static double cosine(JsonNode a, JsonNode b) {
        if (a == null || b == null || !a.isArray() || !b.isArray() || a.size() != b.size() || a.isEmpty()) {
            return Double.NaN;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.get(i).doubleValue();
            double y = b.get(i).doubleValue();
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        if (na == 0 || nb == 0) {
            // No direction to compare (numeric features of all zeros): the same only if both are zero.
            return na == nb ? 1 : 0;
        }
        return dot / Math.sqrt(na * nb);
    }

    /**
     * Euclidean lengths within the tolerance the cosine allows (a model run twice on one text may
     * differ in the last digits); the vectors are already known to point alike.
     */
    static boolean sameLength(JsonNode a, JsonNode b) {
        double la = length(a);
        double lb = length(b);
        return Math.abs(la - lb) <= (1 - MIN_COSINE) * Math.max(la, lb);
    }

    private static double length(JsonNode vector) {
        double sum = 0;
        for (JsonNode x : vector) {
            sum += x.doubleValue() * x.doubleValue();
        }
        return Math.sqrt(sum);
    }

    private static String shown(JsonNode value) {
        String text = value == null ? "nothing" : value.toString();
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN - 3) + "...";
    }
}
