package com.datarsync.common.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One sync task, as every stage reads it: where rows come from, which columns are kept and how
 * they are renamed, the text to embed, and the Milvus collection they land in. It arrives as a
 * JSON document; {@link SyncTaskDefinitions#parse} reads and validates it in one place, so each
 * stage refuses the same bad definition with the same field path.
 *
 * @param id        task id, also the suffix of its Kafka topics and Redis keys
 * @param mode      what to capture
 * @param source    the database to capture
 * @param tables    the tables to capture (at least one)
 * @param target    the Milvus collection, its vector fields and how each is embedded
 * @param partitions partitions of the task's Kafka topics when they are created (null: the
 *                  suite's {@code datarsync.kafka.partitions}); instances of data-process and
 *                  milvus-sync share a task by these, so they bound how many can work at once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record SyncTaskDefinition(
        String id,
        Mode mode,
        Source source,
        List<Table> tables,
        Target target,
        Integer partitions,
        Limits limits) {

    public static final int MAX_PARTITIONS = 64;

    public SyncTaskDefinition(String id, Mode mode, Source source, List<Table> tables, Target target) {
        this(id, mode, source, tables, target, null, null);
    }

    public SyncTaskDefinition(String id, Mode mode, Source source, List<Table> tables, Target target,
            Integer partitions) {
        this(id, mode, source, tables, target, partitions, null);
    }

    /** The same task with other limits (changed on a running task without a restart). */
    public SyncTaskDefinition withLimits(Limits newLimits) {
        return new SyncTaskDefinition(id, mode, source, tables, target, partitions, newLimits);
    }

    /**
     * Rate limits of a task (Sentinel flow rules, changeable while it runs); each absent means no
     * limit. A burst above a limit waits, nothing is dropped.
     *
     * @param eventsPerSecond         change events per second the listener publishes
     * @param milvusEntitiesPerSecond entities per second milvus-sync writes to the collection
     *                                (each upserted entity and each deleted row counts one)
     * @param embeddingTextsPerSecond per embedding provider of the task ({@code openai}, {@code
     *                                zhipu}, ...), texts per second data-process sends it (texts the
     *                                vector cache answers are not sent, so not counted)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Limits(Integer eventsPerSecond, Integer milvusEntitiesPerSecond,
            Map<String, Integer> embeddingTextsPerSecond) {

        public Limits {
            // A provider given null has no limit, like one left out; none left is no map.
            TreeMap<String, Integer> texts = new TreeMap<>();
            if (embeddingTextsPerSecond != null) {
                embeddingTextsPerSecond.forEach((provider, rate) -> {
                    if (rate != null) {
                        texts.put(provider, rate);
                    }
                });
            }
            embeddingTextsPerSecond = texts.isEmpty() ? null : Collections.unmodifiableMap(texts);
        }

        public Limits(Integer eventsPerSecond) {
            this(eventsPerSecond, null, null);
        }

        /** No limit at all: stored as no {@code limits}. */
        @JsonIgnore
        public boolean isEmpty() {
            return eventsPerSecond == null && milvusEntitiesPerSecond == null && embeddingTextsPerSecond == null;
        }

        /** For the task's log: for example {@code 200 events/s, openai 50 texts/s}. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (eventsPerSecond != null) {
                parts.add(eventsPerSecond + " events/s");
            }
            if (milvusEntitiesPerSecond != null) {
                parts.add(milvusEntitiesPerSecond + " Milvus entities/s");
            }
            if (embeddingTextsPerSecond != null) {
                embeddingTextsPerSecond.forEach((provider, rate) -> parts.add(provider + " " + rate + " texts/s"));
            }
            return parts.isEmpty() ? "none" : String.join(", ", parts);
        }
    }

    public enum Mode {
        /** Snapshot the tables, then stop. */
        FULL,
        /** Stream the log from now on, no snapshot. */
        INCREMENTAL,
        /** Snapshot, then stream from the log position taken before the snapshot. */
        FULL_AND_INCREMENTAL
    }

    /**
     * The source database: a data source registered in the data-source service, by id. The
     * connection (host, port, user, password) stays there; the log-listener asks for it each time
     * it connects, so a definition carries no credential and no address. The task manager copies
     * {@code kind} and {@code database} from the registry when the task is saved (the other stages
     * need them to name tables); given in a request, they must match it.
     *
     * @param options  extra Debezium connector properties, passed through unchanged except those
     *                 Data Rsync allows ({@link SourceOptions#ALLOWED})
     * @param snapshot how the tables are read before the log; null reads them in one pass
     *                 ({@link SnapshotMethod#BLOCKING})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(
            Long dataSourceId,
            String kind,
            String database,
            Map<String, String> options,
            Snapshot snapshot) {

        public Source(Long dataSourceId, String kind, String database, Map<String, String> options) {
            this(dataSourceId, kind, database, options, null);
        }

        /** True when the tables are read in resumable chunks beside the log. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean incrementalSnapshot() {
            return snapshot != null && snapshot.method() == SnapshotMethod.INCREMENTAL;
        }

        /**
         * The incremental snapshot's signal table as Debezium names it: {@code database.table} on
         * MySQL/MariaDB, {@code schema.table} on PostgreSQL (schema {@code public} unless named).
         */
        public String qualifiedSignalTable(SourceKind kind) {
            String table = snapshot.signalTableOrDefault();
            return table.contains(".") ? table : (kind.isMySqlFamily() ? database : "public") + "." + table;
        }
    }

    /**
     * When the vector indexes are built. With {@code afterLoad}, a collection the task creates for
     * its first snapshot gets none until the snapshot has been written; then each vector field's
     * index is built (a field of type {@code BY_SIZE}: IVF_FLAT with {@code smallParams} below
     * {@code largeCollectionRows} entities, HNSW with {@code largeParams} from there), waited for
     * and loaded, and only then is the snapshot complete.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IndexBuild(Boolean afterLoad, Long largeCollectionRows, Map<String, String> smallParams,
            Map<String, String> largeParams) {
        public static final long DEFAULT_LARGE_COLLECTION_ROWS = 1_000_000;

        public long largeCollectionRowsOrDefault() {
            return largeCollectionRows == null ? DEFAULT_LARGE_COLLECTION_ROWS : largeCollectionRows;
        }
    }

    public enum SnapshotMethod {
        /**
         * Debezium's initial snapshot: the log position is taken, then every table read (in
         * {@code snapshot.max.threads} key ranges at once), then the log; a crash starts it again.
         */
        BLOCKING,
        /**
         * Debezium's incremental snapshot: the log streams from the start and the tables are read
         * a primary-key chunk at a time between watermarks written to a signal table in the source;
         * progress is kept with the log position, so a crash resumes from the last chunk.
         */
        INCREMENTAL
    }

    /**
     * @param method      BLOCKING (the default) or INCREMENTAL
     * @param chunkSize   rows per chunk of an incremental snapshot (Debezium's
     *                    {@code incremental.snapshot.chunk.size}); default {@link #DEFAULT_CHUNK_SIZE}
     * @param signalTable the source table Debezium writes its chunk watermarks to: a table name
     *                    (in the source database, or schema {@code public} on PostgreSQL) or
     *                    {@code schema.table}; default {@link #DEFAULT_SIGNAL_TABLE}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Snapshot(SnapshotMethod method, Integer chunkSize, String signalTable) {
        public static final int DEFAULT_CHUNK_SIZE = 4_096;
        public static final int MAX_CHUNK_SIZE = 100_000;
        public static final String DEFAULT_SIGNAL_TABLE = "datarsync_signal";

        public int chunkSizeOrDefault() {
            return chunkSize == null ? DEFAULT_CHUNK_SIZE : chunkSize;
        }

        public String signalTableOrDefault() {
            return signalTable == null || signalTable.isBlank() ? DEFAULT_SIGNAL_TABLE : signalTable;
        }
    }

    /**
     * A captured table.
     *
     * @param schema         the schema (PostgreSQL; defaults to {@code public}) or database
     *                       (MySQL/MariaDB; defaults to the source database)
     * @param includeColumns columns to keep; empty keeps all
     * @param excludeColumns columns to drop
     * @param renames        source column to target field name; unnamed columns keep their name
     * @param filter         optional row filter
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Table(
            String schema,
            String table,
            List<String> includeColumns,
            List<String> excludeColumns,
            Map<String, String> renames,
            RowFilter filter,
            Map<String, CleaningRule> clean) {

        public Table(String schema, String table, List<String> includeColumns, List<String> excludeColumns,
                Map<String, String> renames, RowFilter filter) {
            this(schema, table, includeColumns, excludeColumns, renames, filter, null);
        }

        /** True when the column is captured into the target (include/exclude lists applied). */
        public boolean keeps(String column) {
            boolean included = includeColumns == null || includeColumns.isEmpty() || includeColumns.contains(column);
            return included && (excludeColumns == null || !excludeColumns.contains(column));
        }

        /** The target field a kept column is written to. */
        public String fieldFor(String column) {
            return renames == null ? column : renames.getOrDefault(column, column);
        }

        /** {@code schema.table}, with the schema defaulted for the source kind. */
        public String qualifiedName(SourceKind kind, String database) {
            return schemaOrDefault(kind, database) + "." + table;
        }

        public String schemaOrDefault(SourceKind kind, String database) {
            if (schema != null && !schema.isBlank()) {
                return schema;
            }
            return kind.isMySqlFamily() ? database : "public";
        }
    }






    /**
     * The Milvus collection.
     *
     * @param primaryKeyField VarChar primary key: the row key, or {@code <row key>#<chunk number>}
     *                        when a vector field is chunked (format in docs/data-path.md)
     * @param rowKeyField     VarChar field holding the row key on every entity; required when a
     *                        vector field is chunked, so that a row's chunks can be found and removed
     * @param chunkTextField  optional VarChar field holding the chunk's text (chunked tasks only)
     * @param scalarFields    the scalar fields, each filled from the column mapped to its name
     * @param vectors         the vector fields, each with its own embedding (at least one)
     * @param sourceTimeField optional Int64 field holding, on every entity, the source commit time
     *                        (epoch ms; the read time for snapshot rows) of the change that wrote it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(
            String collection,
            String primaryKeyField,
            String rowKeyField,
            String chunkTextField,
            List<ScalarField> scalarFields,
            List<VectorField> vectors,
            IndexBuild index,
            String sourceTimeField) {

        public Target(String collection, String primaryKeyField, String rowKeyField, String chunkTextField,
                List<ScalarField> scalarFields, List<VectorField> vectors) {
            this(collection, primaryKeyField, rowKeyField, chunkTextField, scalarFields, vectors, null, null);
        }

        public Target(String collection, String primaryKeyField, String rowKeyField, String chunkTextField,
                List<ScalarField> scalarFields, List<VectorField> vectors, IndexBuild index) {
            this(collection, primaryKeyField, rowKeyField, chunkTextField, scalarFields, vectors, index, null);
        }

        /** True when a first full load writes without vector indexes and builds them at its end. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean indexAfterLoad() {
            return index != null && Boolean.TRUE.equals(index.afterLoad());
        }

        /** The vector field whose text is split into chunks, if any (at most one is). */
        public Optional<VectorField> chunkedVector() {
            return vectors == null ? Optional.empty()
                    : vectors.stream().filter(v -> v != null && v.embedding() != null
                            && v.embedding().chunking() != null).findFirst();
        }

        public boolean chunked() {
            return chunkedVector().isPresent();
        }
    }

    /**
     * A scalar field and its Milvus type; every scalar field is nullable.
     *
     * @param maxLength VARCHAR only; default 65535
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScalarField(String name, FieldType type, Integer maxLength) {

        public int maxLengthOrDefault() {
            return maxLength == null ? 65_535 : maxLength;
        }
    }

    /** Milvus scalar types a column can be mapped to. */
    public enum FieldType { BOOL, INT8, INT16, INT32, INT64, FLOAT, DOUBLE, VARCHAR, JSON }

    /** Vector similarity metrics. */
    public enum Metric { COSINE, L2, IP }

    /**
     * A vector field and the embedding that fills it.
     *
     * @param indexType   Milvus index type, for example {@code AUTOINDEX}, {@code FLAT}, {@code HNSW}
     * @param indexParams extra index build parameters, for example {@code M} and {@code efConstruction}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VectorField(String name, Integer dimension, Metric metric, String indexType,
            Map<String, Object> indexParams, Embedding embedding) {
    }

    /**
     * @param provider vectorizer identifier: {@code onnx-local}, {@code openai}, {@code zhipu} or {@code numeric}
     * @param model    model identifier within the provider
     * @param template the text to embed, with {@code {column}} placeholders naming source columns
     * @param options  provider settings, for example {@code baseUrl}, {@code apiKeyEnv} (the name of
     *                 an environment variable of data-process holding the API key, never the key),
     *                 {@code dimensions}, {@code maxBatch}, {@code timeoutMs}
     * @param chunking optional: split long text into chunks, each its own entity
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Embedding(String provider, String model, String template, Map<String, String> options,
            Chunking chunking) {

        public Map<String, String> optionsOrEmpty() {
            return options == null ? Map.of() : options;
        }
    }

    /**
     * How a long text is split: windows of {@code size} units that share {@code overlap} units
     * with the window before. Text no longer than {@code size} is one chunk.
     *
     * @param by        {@code CHARACTERS} (Unicode code points) or {@code TOKENS} (the model's own
     *                  tokenizer; onnx-local only)
     * @param maxChunks a row whose text needs more chunks goes to the dead-letter topic; default 128
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Chunking(ChunkUnit by, Integer size, Integer overlap, Integer maxChunks) {

        public static final int DEFAULT_MAX_CHUNKS = 128;

        public int overlapOrZero() {
            return overlap == null ? 0 : overlap;
        }

        public int maxChunksOrDefault() {
            return maxChunks == null ? DEFAULT_MAX_CHUNKS : maxChunks;
        }
    }

    public enum ChunkUnit { CHARACTERS, TOKENS }
}
