package com.datarsync.milvus.domain;

import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinition.FieldType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The collection a task needs, as plain field descriptions, so that an existing collection can be
 * compared with it field by field and every difference named.
 */
public record CollectionSpec(String name, Map<String, FieldSpec> fields) {

    /** Primary-key VarChar length: row keys longer than this are refused to the dead-letter topic. */
    public static final int PRIMARY_KEY_MAX_LENGTH = 512;
    /** The chunk text field's VarChar length (Milvus' largest). */
    public static final int CHUNK_TEXT_MAX_LENGTH = 65_535;

    /** @param type the Milvus data type name, for example {@code VarChar} or {@code FloatVector} */
    public record FieldSpec(String type, boolean primaryKey, Integer maxLength, Integer dimension, boolean nullable) {
    }

    public static CollectionSpec of(SyncTaskDefinition.Target target) {
        Map<String, FieldSpec> fields = new LinkedHashMap<>();
        fields.put(target.primaryKeyField(), new FieldSpec("VarChar", true, PRIMARY_KEY_MAX_LENGTH, null, false));
        if (target.rowKeyField() != null) {
            fields.put(target.rowKeyField(), new FieldSpec("VarChar", false, PRIMARY_KEY_MAX_LENGTH, null, false));
        }
        if (target.sourceTimeField() != null) {
            fields.put(target.sourceTimeField(), new FieldSpec("Int64", false, null, null, false));
        }
        if (target.chunkTextField() != null) {
            fields.put(target.chunkTextField(), new FieldSpec("VarChar", false, CHUNK_TEXT_MAX_LENGTH, null, false));
        }
        if (target.scalarFields() != null) {
            for (SyncTaskDefinition.ScalarField f : target.scalarFields()) {
                fields.put(f.name(), new FieldSpec(milvusType(f.type()), false,
                        f.type() == FieldType.VARCHAR ? f.maxLengthOrDefault() : null, null, true));
            }
        }
        for (SyncTaskDefinition.VectorField v : target.vectors()) {
            fields.put(v.name(), new FieldSpec("FloatVector", false, null, v.dimension(), false));
        }
        return new CollectionSpec(target.collection(), fields);
    }

    public static String milvusType(FieldType type) {
        return switch (type) {
            case BOOL -> "Bool";
            case INT8 -> "Int8";
            case INT16 -> "Int16";
            case INT32 -> "Int32";
            case INT64 -> "Int64";
            case FLOAT -> "Float";
            case DOUBLE -> "Double";
            case VARCHAR -> "VarChar";
            case JSON -> "JSON";
        };
    }

    /** Every way {@code existing} differs from this spec, one line each; empty when they match. */
    public List<String> differences(Map<String, FieldSpec> existing) {
        List<String> out = new ArrayList<>();
        fields.forEach((name, wanted) -> {
            FieldSpec actual = existing.get(name);
            if (actual == null) {
                out.add("field '" + name + "' is missing");
            } else if (!wanted.equals(actual)) {
                if (!wanted.type().equals(actual.type())) {
                    out.add("field '" + name + "' is " + actual.type() + ", the task needs " + wanted.type());
                }
                if (wanted.primaryKey() != actual.primaryKey()) {
                    out.add("field '" + name + "' " + (wanted.primaryKey() ? "must" : "must not") + " be the primary key");
                }
                if (!Objects.equals(wanted.maxLength(), actual.maxLength())) {
                    out.add("field '" + name + "' has max_length " + actual.maxLength() + ", the task needs "
                            + wanted.maxLength());
                }
                if (!Objects.equals(wanted.dimension(), actual.dimension())) {
                    out.add("field '" + name + "' has dimension " + actual.dimension() + ", the task needs "
                            + wanted.dimension());
                }
                if (wanted.nullable() != actual.nullable()) {
                    out.add("field '" + name + "' is " + (actual.nullable() ? "" : "not ") + "nullable, the task needs "
                            + (wanted.nullable() ? "nullable" : "not nullable"));
                }
            }
        });
        existing.keySet().stream().filter(n -> !fields.containsKey(n))
                .forEach(n -> out.add("field '" + n + "' is not in the task"));
        return out;
    }
}
