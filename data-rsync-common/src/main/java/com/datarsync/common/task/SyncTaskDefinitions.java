package com.datarsync.common.task;

import com.datarsync.common.task.SyncTaskDefinition.Table;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates sync task definitions: the one place that decides whether a definition can
 * run. Every stage calls {@link #parse} or {@link #validate} before it starts anything, so a bad
 * definition is refused with the same field paths everywhere.
 */
public final class SyncTaskDefinitions {

    /** Lower-case so the id can also name a PostgreSQL replication slot and publication. */
    private static final Pattern TASK_ID = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    static final Pattern MILVUS_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    static final Pattern SQL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
    private static final Set<String> OPERATIONS = Set.of("c", "u", "d", "r", "t");
    /** An index type chosen when the index is built after a full load, by the collection's size. */
    public static final String BY_SIZE = "BY_SIZE";
    static final Set<String> INDEX_TYPES = Set.of("AUTOINDEX", "FLAT", "IVF_FLAT", "IVF_SQ8", "IVF_PQ",
            "HNSW", "DISKANN", "SCANN", BY_SIZE);

    public static final List<String> PROVIDERS = List.of("onnx-local", "openai", "zhipu", "numeric");
    public static final int MAX_DIMENSION = 32_768;
    public static final int MAX_VECTOR_FIELDS = 4;
    public static final int MIN_CHUNK_SIZE = 8;
    public static final int MAX_CHUNK_SIZE = 100_000;
    /** Bounds one vector record: 256 chunks of 1,024 floats is about 3 MB of JSON (Kafka allows 16 MB here). */
    public static final int MAX_CHUNKS = 256;

    /** Why a source must be a registered data source, in every refusal that concerns it. */
    public static final String REGISTER_THE_SOURCE = "give the id of a registered data source (POST /api/datasources); "
            + "a task carries no address and no credential of its own";
    /**
     * Debezium properties Data Rsync sets and a task's {@code source.options} may not: the
     * connection (it comes from the data source), where offsets and schema history are kept, the
     * slot and publication, the event shapes the stages read, and anything that runs SQL at the
     * source. An entry ending in a dot is a prefix.
     */
    /** Connection fields of definitions from before tasks referenced data sources, named in the refusal. */
    private static final Set<String> CONNECTION_FIELDS = Set.of("host", "port", "username", "password", "passwordEnv");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private SyncTaskDefinitions() {
    }

    /** Reads a JSON definition and validates it; throws {@link InvalidTaskDefinitionException}. */
    public static SyncTaskDefinition parse(String json) {
        SyncTaskDefinition definition;
        try {
            definition = JSON.readValue(json, SyncTaskDefinition.class);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            String at = path(e);
            if (at.startsWith("source.") && CONNECTION_FIELDS.contains(e.getPropertyName())) {
                throw new InvalidTaskDefinitionException(List.of(new FieldViolation(at, "a task takes its connection "
                        + "from a registered data source: register it (POST /api/datasources) and give "
                        + "source.dataSourceId")));
            }
            throw new InvalidTaskDefinitionException(List.of(new FieldViolation(at, reason(e))));
        } catch (JsonMappingException e) {
            throw new InvalidTaskDefinitionException(List.of(new FieldViolation(path(e), reason(e))));
        } catch (JsonProcessingException e) {
            throw new InvalidTaskDefinitionException(List.of(new FieldViolation("$", "not valid JSON: "
                    + e.getOriginalMessage())));
        }
        if (definition == null) {
            throw new InvalidTaskDefinitionException(List.of(new FieldViolation("$", "is empty")));
        }
        return validate(definition);
    }

    public static String toJson(SyncTaskDefinition definition) {
        try {
            return JSON.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jackson's message without class names and input positions. */
    private static String reason(JsonMappingException e) {
        return e.getOriginalMessage().replaceAll(" \\(class [^)]*\\)", "").replaceAll("\\s+at \\[Source.*", "");
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "$" : out.toString();
    }

    /** Returns the definition when it can run, else throws with every violation found. */
    public static SyncTaskDefinition validate(SyncTaskDefinition d) {
        List<FieldViolation> v = new ArrayList<>();
        if (d.id() == null || !TASK_ID.matcher(d.id()).matches()) {
            v.add(new FieldViolation("id", "must be 1-48 characters: a lower-case letter, then lower-case "
                    + "letters, digits or '_' (it also names the PostgreSQL replication slot)"));
        }
        if (d.mode() == null) {
            v.add(new FieldViolation("mode", "is required: FULL, INCREMENTAL or FULL_AND_INCREMENTAL"));
        }
        SourceKind kind = checkSource(d.source(), v);
        checkSnapshot(d, v);
        checkIndexBuild(d, v);
        if (d.partitions() != null && (d.partitions() < 1 || d.partitions() > SyncTaskDefinition.MAX_PARTITIONS)) {
            v.add(new FieldViolation("partitions", "must be 1 to " + SyncTaskDefinition.MAX_PARTITIONS));
        }
        checkLimits(d.limits(), d.target(), v);
        Map<String, Set<String>> templateColumns = TargetChecks.check(d.target(), v);
        checkTables(d.tables(), kind, d.source(), templateColumns, v);
        if (!v.isEmpty()) {
            throw new InvalidTaskDefinitionException(v);
        }
        return d;
    }

    private static SourceKind checkSource(SyncTaskDefinition.Source s, List<FieldViolation> v) {
        if (s == null) {
            v.add(new FieldViolation("source", "is required"));
            return null;
        }
        if (s.dataSourceId() == null || s.dataSourceId() < 1) {
            v.add(new FieldViolation("source.dataSourceId", REGISTER_THE_SOURCE));
        }
        SourceKind kind = s.kind() == null ? null : SourceKind.byId(s.kind()).orElse(null);
        if (kind == null) {
            v.add(new FieldViolation("source.kind", "'" + s.kind() + "' is not a known source kind; known: "
                    + String.join(", ", SourceKind.capturedIds())));
        } else if (!kind.captured()) {
            v.add(new FieldViolation("source.kind", kind.id() + " sources can be registered and tested but are not "
                    + "captured yet; the data path captures " + String.join(", ", SourceKind.capturedIds())));
        }
        if (blank(s.database())) {
            v.add(new FieldViolation("source.database", "is required"));
        }
        if (s.options() != null) {
            s.options().keySet().stream().filter(key -> !SourceOptions.allowed(key)).sorted().forEach(key ->
                    v.add(new FieldViolation("source.options." + key, "is not a connector option a task may set; "
                            + "Data Rsync sets the connection, positions, event shapes and SQL itself. Allowed: "
                            + String.join(", ", SourceOptions.ALLOWED.keySet()))));
        }
        return kind;
    }

    private static void checkIndexBuild(SyncTaskDefinition d, List<FieldViolation> v) {
        SyncTaskDefinition.Target t = d.target();
        if (t == null || t.vectors() == null) {
            return;
        }
        boolean bySize = t.vectors().stream().anyMatch(vec -> vec != null && BY_SIZE.equals(vec.indexType()));
        if (bySize && !t.indexAfterLoad()) {
            v.add(new FieldViolation("target.index.afterLoad", "must be true for an indexType BY_SIZE: the size is "
                    + "known only once the full load is written"));
        }
        if (!t.indexAfterLoad()) {
            return;
        }
        if (t.chunked()) {
            v.add(new FieldViolation("target.index.afterLoad", "is not for a chunked task: replacing a row's chunks "
                    + "queries the collection, which needs its index"));
        }
        if (d.mode() == SyncTaskDefinition.Mode.INCREMENTAL
                || (d.source() != null && d.source().incrementalSnapshot())) {
            v.add(new FieldViolation("target.index.afterLoad", "needs a blocking snapshot to build after (mode FULL "
                    + "or FULL_AND_INCREMENTAL, source.snapshot.method BLOCKING)"));
        }
        if (t.index().largeCollectionRows() != null && t.index().largeCollectionRows() < 1) {
            v.add(new FieldViolation("target.index.largeCollectionRows", "must be at least 1"));
        }
    }

    private static final java.util.regex.Pattern SIGNAL_TABLE =
            java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}");

    private static void checkSnapshot(SyncTaskDefinition d, List<FieldViolation> v) {
        SyncTaskDefinition.Snapshot snapshot = d.source() == null ? null : d.source().snapshot();
        if (snapshot == null) {
            return;
        }
        if (snapshot.method() == null) {
            v.add(new FieldViolation("source.snapshot.method", "is required: BLOCKING or INCREMENTAL"));
            return;
        }
        if (snapshot.method() == SyncTaskDefinition.SnapshotMethod.INCREMENTAL
                && d.mode() != null && d.mode() != SyncTaskDefinition.Mode.FULL_AND_INCREMENTAL) {
            v.add(new FieldViolation("source.snapshot.method", "INCREMENTAL reads the tables beside the log, "
                    + "so it needs mode FULL_AND_INCREMENTAL"));
        }
        if (snapshot.chunkSize() != null
                && (snapshot.chunkSize() < 1 || snapshot.chunkSize() > SyncTaskDefinition.Snapshot.MAX_CHUNK_SIZE)) {
            v.add(new FieldViolation("source.snapshot.chunkSize", "must be 1 to "
                    + SyncTaskDefinition.Snapshot.MAX_CHUNK_SIZE));
        }
        if (snapshot.signalTable() != null && !SIGNAL_TABLE.matcher(snapshot.signalTable()).matches()) {
            v.add(new FieldViolation("source.snapshot.signalTable", "must be a table name or schema.table "
                    + "(letters, digits, '_')"));
        }
    }

    private static void checkTables(List<Table> tables, SourceKind kind, SyncTaskDefinition.Source source,
            Map<String, Set<String>> templateColumns, List<FieldViolation> v) {
        if (tables == null || tables.isEmpty()) {
            v.add(new FieldViolation("tables", "list at least one table"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            String at = "tables[" + i + "]";
            if (t == null || blank(t.table()) || !SQL_NAME.matcher(t.table()).matches()) {
                v.add(new FieldViolation(at + ".table", "is required and must be a plain table name"));
                continue;
            }
            if (kind != null && source != null && !seen.add(t.qualifiedName(kind, source.database()))) {
                v.add(new FieldViolation(at + ".table", "'" + t.table() + "' is listed twice"));
            }
            List<String> include = t.includeColumns() == null ? List.of() : t.includeColumns();
            List<String> exclude = t.excludeColumns() == null ? List.of() : t.excludeColumns();
            for (String both : include) {
                if (exclude.contains(both)) {
                    v.add(new FieldViolation(at + ".excludeColumns", "'" + both + "' is also in includeColumns"));
                }
            }
            Map<String, String> renames = t.renames() == null ? Map.of() : t.renames();
            Set<String> targets = new HashSet<>();
            renames.forEach((column, field) -> {
                if (!t.keeps(column)) {
                    v.add(new FieldViolation(at + ".renames." + column, "renames a column that is not captured"));
                }
                if (field == null || !MILVUS_NAME.matcher(field).matches()) {
                    v.add(new FieldViolation(at + ".renames." + column, "'" + field + "' is not a valid field name"));
                } else if (!targets.add(field)) {
                    v.add(new FieldViolation(at + ".renames." + column, "two columns are renamed to '" + field + "'"));
                }
            });
            templateColumns.forEach((templatePath, columns) -> {
                for (String column : columns) {
                    if (!t.keeps(column)) {
                        v.add(new FieldViolation(templatePath, "uses column '" + column + "', which " + at
                                + " does not capture"));
                    }
                }
            });
            if (t.filter() != null) {
                List<String> ops = t.filter().operations() == null ? List.of() : t.filter().operations();
                for (String op : ops) {
                    if (!OPERATIONS.contains(op)) {
                        v.add(new FieldViolation(at + ".filter.operations", "'" + op
                                + "' is not an operation; use c, u, d, r or t"));
                    }
                }
                ColumnCondition where = t.filter().where();
                if (where != null && (blank(where.column()) || where.in() == null || where.in().isEmpty())) {
                    v.add(new FieldViolation(at + ".filter.where", "needs a column and a non-empty 'in' list"));
                }
                if (t.filter().window() != null) {
                    try {
                        TimeWindowRule.of(t.filter().window());
                    } catch (IllegalArgumentException e) {
                        v.add(new FieldViolation(at + ".filter.window", e.getMessage()));
                    }
                }
            }
            if (t.clean() != null) {
                t.clean().forEach((column, rule) -> {
                    String path = at + ".clean." + column;
                    if (blank(column)) {
                        v.add(new FieldViolation(at + ".clean", "names a blank column"));
                    } else if (!t.keeps(column)) {
                        v.add(new FieldViolation(path, "column '" + column + "' is not captured (includeColumns / "
                                + "excludeColumns)"));
                    }
                    RowCleaner.problems(rule).forEach(problem -> v.add(new FieldViolation(path, problem)));
                });
            }
        }
    }

    /** The most a limit may name (per second): past it a limit does nothing on any machine. */
    public static final int MAX_EVENTS_PER_SECOND = 1_000_000;

    /**
     * Checks a task's rate limits (also when they are changed on a running task): each rate 1 to
     * {@link #MAX_EVENTS_PER_SECOND}, and a texts-per-second limit only for a provider the task's
     * vector fields embed with.
     */
    public static void checkLimits(SyncTaskDefinition.Limits limits, SyncTaskDefinition.Target target,
            List<FieldViolation> v) {
        if (limits == null) {
            return;
        }
        checkRate("limits.eventsPerSecond", limits.eventsPerSecond(), v);
        checkRate("limits.milvusEntitiesPerSecond", limits.milvusEntitiesPerSecond(), v);
        if (limits.embeddingTextsPerSecond() == null) {
            return;
        }
        Set<String> providers = new java.util.TreeSet<>();
        if (target != null && target.vectors() != null) {
            target.vectors().stream().filter(f -> f != null && f.embedding() != null && f.embedding().provider() != null)
                    .forEach(f -> providers.add(f.embedding().provider()));
        }
        limits.embeddingTextsPerSecond().forEach((provider, rate) -> {
            String path = "limits.embeddingTextsPerSecond." + provider;
            if (!providers.contains(provider)) {
                v.add(new FieldViolation(path, "the task embeds nothing with '" + provider + "'; its providers: "
                        + providers));
            } else {
                checkRate(path, rate, v);
            }
        });
    }

    private static void checkRate(String path, Integer rate, List<FieldViolation> v) {
        if (rate != null && (rate < 1 || rate > MAX_EVENTS_PER_SECOND)) {
            v.add(new FieldViolation(path, "must be 1 to " + MAX_EVENTS_PER_SECOND + ", or left out for no limit"));
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
