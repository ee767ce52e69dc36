package com.datarsync.common.task;

import com.datarsync.common.task.SyncTaskDefinition.ScalarField;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks of a task definition's target: the collection and its fields, each vector field with
 * its embedding and chunking. Part of {@link SyncTaskDefinitions#validate}; every problem is one
 * {@link FieldViolation}.
 */
final class TargetChecks {

    private TargetChecks() {
    }

    /** Checks the target; answers each vector template's path with the columns it reads. */
    static Map<String, Set<String>> check(SyncTaskDefinition.Target t, List<FieldViolation> v) {
        Map<String, Set<String>> templateColumns = new LinkedHashMap<>();
        if (t == null) {
            v.add(new FieldViolation("target", "is required"));
            return templateColumns;
        }
        if (t.collection() == null || !SyncTaskDefinitions.MILVUS_NAME.matcher(t.collection()).matches()) {
            v.add(new FieldViolation("target.collection", "must start with a letter or '_' and hold only letters, "
                    + "digits and '_'"));
        }
        Set<String> names = new HashSet<>();
        if (t.primaryKeyField() == null || !SyncTaskDefinitions.MILVUS_NAME.matcher(t.primaryKeyField()).matches()) {
            v.add(new FieldViolation("target.primaryKeyField", "is required and must be a valid field name"));
        } else {
            names.add(t.primaryKeyField());
        }
        checkOptionalField("target.rowKeyField", t.rowKeyField(), names, v);
        checkOptionalField("target.chunkTextField", t.chunkTextField(), names, v);
        checkOptionalField("target.sourceTimeField", t.sourceTimeField(), names, v);
        List<ScalarField> fields = t.scalarFields() == null ? List.of() : t.scalarFields();
        for (int i = 0; i < fields.size(); i++) {
            ScalarField f = fields.get(i);
            String at = "target.scalarFields[" + i + "]";
            if (f == null || f.name() == null || !SyncTaskDefinitions.MILVUS_NAME.matcher(f.name()).matches()) {
                v.add(new FieldViolation(at + ".name", "is required and must be a valid field name"));
                continue;
            }
            if (!names.add(f.name())) {
                v.add(new FieldViolation(at + ".name", "'" + f.name() + "' is used twice"));
            }
            if (f.type() == null) {
                v.add(new FieldViolation(at + ".type", "is required; one of "
                        + List.of(SyncTaskDefinition.FieldType.values())));
            }
            if (f.maxLength() != null && (f.type() != SyncTaskDefinition.FieldType.VARCHAR
                    || f.maxLength() < 1 || f.maxLength() > 65_535)) {
                v.add(new FieldViolation(at + ".maxLength", "applies to VARCHAR only, between 1 and 65535"));
            }
        }
        List<SyncTaskDefinition.VectorField> vectors = t.vectors() == null ? List.of() : t.vectors();
        if (vectors.isEmpty() || vectors.size() > SyncTaskDefinitions.MAX_VECTOR_FIELDS) {
            v.add(new FieldViolation("target.vectors", "list 1 to " + SyncTaskDefinitions.MAX_VECTOR_FIELDS
                    + " vector fields (Milvus' default limit per collection)"));
        }
        int chunked = 0;
        for (int i = 0; i < vectors.size(); i++) {
            String at = "target.vectors[" + i + "]";
            SyncTaskDefinition.VectorField vec = vectors.get(i);
            if (vec == null) {
                v.add(new FieldViolation(at, "is empty"));
                continue;
            }
            checkVectorField(at, vec, names, v);
            SyncTaskDefinition.Embedding e = vec.embedding();
            checkEmbedding(at + ".embedding", e, v).ifPresent(columns -> templateColumns.put(at + ".embedding.template",
                    columns));
            if (e != null && e.chunking() != null) {
                chunked++;
                checkChunking(at + ".embedding", e, v);
            }
        }
        if (chunked > 1) {
            v.add(new FieldViolation("target.vectors", "at most one vector field may be chunked: a row's chunks "
                    + "are its entities, and two chunked texts would not line up"));
        }
        if (chunked > 0 && t.rowKeyField() == null) {
            v.add(new FieldViolation("target.rowKeyField", "is required when a vector field is chunked: it holds "
                    + "the row key on every chunk, so old chunks can be removed"));
        }
        if (chunked == 0 && t.chunkTextField() != null) {
            v.add(new FieldViolation("target.chunkTextField", "applies only when a vector field is chunked"));
        }
        return templateColumns;
    }

    static void checkOptionalField(String path, String name, Set<String> names, List<FieldViolation> v) {
        if (name == null) {
            return;
        }
        if (!SyncTaskDefinitions.MILVUS_NAME.matcher(name).matches()) {
            v.add(new FieldViolation(path, "'" + name + "' is not a valid field name"));
        } else if (!names.add(name)) {
            v.add(new FieldViolation(path, "'" + name + "' is already a field"));
        }
    }

    static void checkVectorField(String at, SyncTaskDefinition.VectorField vec, Set<String> names,
            List<FieldViolation> v) {
        if (vec.name() == null || !SyncTaskDefinitions.MILVUS_NAME.matcher(vec.name()).matches()) {
            v.add(new FieldViolation(at + ".name", "is required and must be a valid field name"));
        } else if (!names.add(vec.name())) {
            v.add(new FieldViolation(at + ".name", "'" + vec.name() + "' is already a field"));
        }
        if (vec.dimension() == null || vec.dimension() < 1 || vec.dimension() > SyncTaskDefinitions.MAX_DIMENSION) {
            v.add(new FieldViolation(at + ".dimension", "must be between 1 and " + SyncTaskDefinitions.MAX_DIMENSION));
        }
        if (vec.metric() == null) {
            v.add(new FieldViolation(at + ".metric", "is required: COSINE, L2 or IP"));
        }
        if (vec.indexType() != null && !SyncTaskDefinitions.INDEX_TYPES.contains(vec.indexType())) {
            v.add(new FieldViolation(at + ".indexType", "'" + vec.indexType() + "' is not known; known: "
                    + SyncTaskDefinitions.INDEX_TYPES.stream().sorted().collect(Collectors.joining(", "))));
        }
    }

    /** Answers the template's columns when it parses. */
    static Optional<Set<String>> checkEmbedding(String at, SyncTaskDefinition.Embedding e,
            List<FieldViolation> v) {
        if (e == null) {
            v.add(new FieldViolation(at, "is required"));
            return Optional.empty();
        }
        if (e.provider() == null || !SyncTaskDefinitions.PROVIDERS.contains(e.provider())) {
            v.add(new FieldViolation(at + ".provider", "'" + e.provider() + "' is not a known provider; known: "
                    + String.join(", ", SyncTaskDefinitions.PROVIDERS)));
        }
        if (SyncTaskDefinitions.blank(e.model())) {
            v.add(new FieldViolation(at + ".model", "is required"));
        }
        if (SyncTaskDefinitions.blank(e.template())) {
            v.add(new FieldViolation(at + ".template", "is required, for example \"{title}\\n{body}\""));
            return Optional.empty();
        }
        try {
            return Optional.of(TextTemplate.parse(e.template()).columns());
        } catch (IllegalArgumentException ex) {
            v.add(new FieldViolation(at + ".template", ex.getMessage()));
            return Optional.empty();
        }
    }

    static void checkChunking(String at, SyncTaskDefinition.Embedding e, List<FieldViolation> v) {
        SyncTaskDefinition.Chunking c = e.chunking();
        String path = at + ".chunking";
        if (c.by() == null) {
            v.add(new FieldViolation(path + ".by", "is required: CHARACTERS or TOKENS"));
        } else if (c.by() == SyncTaskDefinition.ChunkUnit.TOKENS && !"onnx-local".equals(e.provider())) {
            v.add(new FieldViolation(path + ".by", "TOKENS needs the model's own tokenizer, which only onnx-local "
                    + "has here; use CHARACTERS"));
        }
        if ("numeric".equals(e.provider())) {
            v.add(new FieldViolation(path, "numeric features cannot be chunked"));
        }
        if (c.size() == null || c.size() < SyncTaskDefinitions.MIN_CHUNK_SIZE || c.size() > SyncTaskDefinitions.MAX_CHUNK_SIZE) {
            v.add(new FieldViolation(path + ".size", "must be between " + SyncTaskDefinitions.MIN_CHUNK_SIZE + " and " + SyncTaskDefinitions.MAX_CHUNK_SIZE));
        } else if (c.overlapOrZero() < 0 || c.overlapOrZero() > c.size() / 2) {
            v.add(new FieldViolation(path + ".overlap", "must be between 0 and half the size (" + c.size() / 2 + ")"));
        }
        if (c.maxChunks() != null && (c.maxChunks() < 1 || c.maxChunks() > SyncTaskDefinitions.MAX_CHUNKS)) {
            v.add(new FieldViolation(path + ".maxChunks", "must be between 1 and " + SyncTaskDefinitions.MAX_CHUNKS));
        }
    }
}
