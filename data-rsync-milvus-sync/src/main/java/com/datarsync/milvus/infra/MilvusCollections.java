package com.datarsync.milvus.infra;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.VectorRecord;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.milvus.domain.CollectionSpec;
import com.datarsync.milvus.domain.MilvusExpressions;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.datarsync.milvus.infra.MilvusConnectionPool.Purpose;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryIteratorReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.orm.iterator.QueryIterator;
import io.milvus.response.QueryResultsWrapper;
import java.util.function.Consumer;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.response.QueryResp;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The only class that speaks to Milvus (milvus-sdk-java v2, public API only). Creates a task's
 * collection when it is missing and refuses one whose schema differs; writes upserts (never plain
 * inserts: Milvus keeps duplicate keys on insert), deletes by primary key, and removes a row's
 * chunks by its row-key field.
 */
@Component
public class MilvusCollections {

    /** Keeps null members: a JSON field's {"n": null} is a different value from {}. */
    private static final Gson GSON = new com.google.gson.GsonBuilder().serializeNulls().create();

    private final MilvusConnectionPool connections;

    @Autowired
    public MilvusCollections(@Value("${datarsync.milvus.uri}") String uri,
            @Value("${datarsync.milvus.call-timeout}") Duration callTimeout,
            @Value("${datarsync.milvus.read-timeout}") Duration readTimeout,
            @Value("${datarsync.milvus.pool.max-per-purpose:4}") int maxPerPurpose,
            @Value("${datarsync.milvus.pool.idle-timeout:5m}") Duration idleTimeout,
            @Value("${datarsync.milvus.pool.check-every:30s}") Duration checkEvery) {
        this(new MilvusConnectionPool(uri, callTimeout, readTimeout,
                new MilvusConnectionPool.Settings(maxPerPurpose, idleTimeout, checkEvery)));
    }

    public MilvusCollections(MilvusConnectionPool connections) {
        this.connections = connections;
    }

    /** The pool behind this class (for its gauges). */
    public MilvusConnectionPool connections() {
        return connections;
    }

    private <T> T write(Function<MilvusClientV2, T> call) {
        return connections.call(Purpose.WRITE, call);
    }

    private <T> T read(Function<MilvusClientV2, T> call) {
        return connections.call(Purpose.READ, call);
    }

    private void perform(Consumer<MilvusClientV2> call) {
        connections.call(Purpose.WRITE, c -> {
            call.accept(c);
            return null;
        });
    }

    /**
     * Fails within about two seconds when Milvus does not answer: a call to a stopped server
     * waits for its whole deadline, and a retry loop should learn that fast.
     */
    public void ping(String collection) {
        connections.call(Purpose.PROBE, c -> c.hasCollection(HasCollectionReq.builder().collectionName(collection).build()));
    }

    /**
     * Creates the collection or checks the existing one, then loads it (needed after a Milvus
     * restart); returns whether it created it.
     */
    public boolean ensure(SyncTaskDefinition.Target target) {
        return ensure(target, false);
    }

    /**
     * @param indexLater the collection's first full load is being written without vector indexes
     *                   ({@link #buildIndexes} comes after it): one created now gets none, and
     *                   nothing is loaded (a standalone Milvus cannot load an index-less collection)
     */
    public boolean ensure(SyncTaskDefinition.Target target, boolean indexLater) {
        boolean created = !verify(target);
        if (created) {
            create(CollectionSpec.of(target), indexLater ? List.of() : target.vectors());
        }
        if (!indexLater) {
            perform(c -> c.loadCollection(LoadCollectionReq.builder().collectionName(target.collection()).build()));
        }
        return created;
    }

    /** How long a build after a full load may take before the task reports it failed (and retries). */
    private static final Duration INDEX_BUILD_LIMIT = Duration.ofHours(2);

    /**
     * Builds each vector field's index on what a full load wrote, waits until Milvus says every
     * row is indexed, and loads the collection. A field of type BY_SIZE gets IVF_FLAT (nlist about
     * 4 x sqrt(rows), or {@code smallParams}) below {@code largeCollectionRows} entities and HNSW
     * (M 16, efConstruction 200, or {@code largeParams}) from there. A field that has an index
     * already (a build interrupted by a crash) keeps it. Returns what was built, per field.
     */
    public Map<String, String> buildIndexes(SyncTaskDefinition.Target target) throws InterruptedException {
        String name = target.collection();
        long rows = Long.parseLong(String.valueOf(write(c -> c.getCollectionStats(
                io.milvus.v2.service.collection.request.GetCollectionStatsReq.builder().collectionName(name).build()))
                .getNumOfEntities()));
        List<String> existing = write(c -> c.listIndexes(io.milvus.v2.service.index.request.ListIndexesReq.builder()
                .collectionName(name).build()));
        Map<String, String> built = new LinkedHashMap<>();
        List<IndexParam> indexes = new ArrayList<>();
        for (SyncTaskDefinition.VectorField vector : target.vectors()) {
            if (existing.contains(vector.name())) {
                built.put(vector.name(), "kept");
                continue;
            }
            IndexParam index = IndexChoice.of(vector, target.index(), rows);
            indexes.add(index);
            built.put(vector.name(), index.getIndexType().name() + " " + index.getExtraParams());
        }
        if (!indexes.isEmpty()) {
            perform(c -> c.createIndex(CreateIndexReq.builder().collectionName(name).indexParams(indexes).sync(false).build()));
        }
        long deadline = System.nanoTime() + INDEX_BUILD_LIMIT.toNanos();
        for (SyncTaskDefinition.VectorField vector : target.vectors()) {
            while (true) {
                io.milvus.v2.service.index.response.DescribeIndexResp.IndexDesc desc = write(c -> c.describeIndex(
                        io.milvus.v2.service.index.request.DescribeIndexReq.builder().collectionName(name)
                                .fieldName(vector.name()).build())).getIndexDescByFieldName(vector.name());
                String state = desc == null || desc.getIndexState() == null ? "" : desc.getIndexState().name();
                if ("Finished".equalsIgnoreCase(state)) {
                    break;
                }
                if ("Failed".equalsIgnoreCase(state)) {
                    throw new IllegalStateException("Milvus failed to build the index of " + name + "." + vector.name()
                            + ": " + desc.getIndexFailedReason());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The index of " + name + "." + vector.name() + " was not built in "
                            + INDEX_BUILD_LIMIT.toMinutes() + " minutes (state " + state + ")");
                }
                Thread.sleep(500);
            }
        }
        perform(c -> c.loadCollection(LoadCollectionReq.builder().collectionName(name).build()));
        return built;
    }

    /**
     * Checks an existing collection against the target without changing anything: throws
     * DRS-4091 naming every difference; returns whether the collection exists.
     */
    public boolean verify(SyncTaskDefinition.Target target) {
        String name = target.collection();
        if (!write(c -> c.hasCollection(HasCollectionReq.builder().collectionName(name).build()))) {
            return false;
        }
        List<String> differences = CollectionSpec.of(target).differences(existingFields(name));
        if (!differences.isEmpty()) {
            throw new DataRsyncException(ErrorCode.TARGET_SCHEMA_MISMATCH, "Collection '" + name
                    + "' exists with another schema: " + String.join("; ", differences),
                    Map.of("collection", name, "differences", differences), null);
        }
        return true;
    }

    /**
     * Loads the collection when it is not loaded: a restarted Milvus accepts writes to a released
     * collection but answers no query on it until it is loaded again.
     */
    public void ensureLoaded(String collection) {
        if (!Boolean.TRUE.equals(write(c -> c.getLoadState(GetLoadStateReq.builder().collectionName(collection).build())))) {
            perform(c -> c.loadCollection(LoadCollectionReq.builder().collectionName(collection).build()));
        }
    }

    /** The collection's entities now (count(*), read with Strong consistency). */
    public long count(String collection) {
        ensureLoaded(collection);
        QueryResp answer = read(c -> c.query(QueryReq.builder().collectionName(collection).filter("")
                .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build()));
        return ((Number) answer.getQueryResults().get(0).getEntity().get("count(*)")).longValue();
    }

    /** Drops the collection; returns whether there was one. */
    public boolean drop(String collection) {
        if (!write(c -> c.hasCollection(HasCollectionReq.builder().collectionName(collection).build()))) {
            return false;
        }
        // With the long deadline of reads: right after a large load Milvus takes longer than a
        // write's 8 s to drop a collection (seen after the 1M-row benchmark), and nothing waits behind a drop.
        read(c -> {
            c.dropCollection(DropCollectionReq.builder().collectionName(collection).build());
            return null;
        });
        return true;
    }

    private Map<String, CollectionSpec.FieldSpec> existingFields(String name) {
        Map<String, CollectionSpec.FieldSpec> out = new LinkedHashMap<>();
        CreateCollectionReq.CollectionSchema schema = write(c -> c.describeCollection(
                DescribeCollectionReq.builder().collectionName(name).build())).getCollectionSchema();
        for (CreateCollectionReq.FieldSchema f : schema.getFieldSchemaList()) {
            boolean varchar = f.getDataType() == DataType.VarChar;
            boolean vector = f.getDataType() == DataType.FloatVector;
            out.put(f.getName(), new CollectionSpec.FieldSpec(f.getDataType().name(), Boolean.TRUE.equals(f.getIsPrimaryKey()),
                    varchar ? f.getMaxLength() : null, vector ? f.getDimension() : null,
                    Boolean.TRUE.equals(f.getIsNullable())));
        }
        return out;
    }

    private void create(CollectionSpec spec, List<SyncTaskDefinition.VectorField> vectors) {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        spec.fields().forEach((name, f) -> {
            AddFieldReq.AddFieldReqBuilder<?> field = AddFieldReq.builder().fieldName(name)
                    .dataType(DataType.valueOf(f.type())).isPrimaryKey(f.primaryKey()).autoID(false);
            if (f.maxLength() != null) {
                field.maxLength(f.maxLength());
            }
            if (f.dimension() != null) {
                field.dimension(f.dimension());
            }
            if (f.nullable()) {
                field.isNullable(true);
            }
            schema.addField(field.build());
        });
        perform(c -> c.createCollection(CreateCollectionReq.builder().collectionName(spec.name()).collectionSchema(schema).build()));
        if (vectors.isEmpty()) {
            return;
        }
        List<IndexParam> indexes = new ArrayList<>(vectors.size());
        for (SyncTaskDefinition.VectorField vector : vectors) {
            indexes.add(IndexChoice.of(vector, null, 0));
        }
        // sync(false): the SDK's wait for the index uses an RPC Milvus Lite lacks; the index
        // builds in the background on a standalone server either way.
        perform(c -> c.createIndex(CreateIndexReq.builder().collectionName(spec.name()).indexParams(indexes).sync(false).build()));
    }

    public void upsert(String collection, String primaryKeyField, List<VectorRecord.Entity> entities) {
        List<JsonObject> rows = new ArrayList<>(entities.size());
        for (VectorRecord.Entity e : entities) {
            rows.add(row(primaryKeyField, e));
        }
        write(c -> c.upsert(UpsertReq.builder().collectionName(collection).data(rows).build()));
    }

    public void delete(String collection, List<String> primaryKeys) {
        write(c -> c.delete(DeleteReq.builder().collectionName(collection).ids(new ArrayList<>(primaryKeys)).build()));
    }

    /**
     * Removes every entity of the given rows whose primary key is not in {@code keep}: all of a
     * deleted row's chunks (empty {@code keep}), or the chunks an updated row no longer has.
     * (Filter template values would avoid quoting, but Milvus Lite does not parse them.)
     */
    public void deleteRowEntities(String collection, String rowKeyField, String primaryKeyField, List<String> rowKeys,
            List<String> keep) {
        String filter = MilvusExpressions.in(rowKeyField, rowKeys)
                + (keep.isEmpty() ? "" : " and not (" + MilvusExpressions.in(primaryKeyField, keep) + ")");
        write(c -> c.delete(DeleteReq.builder().collectionName(collection).filter(filter).build()));
    }

    /**
     * Streams the named fields of every entity matching the filter (all entities when it is
     * empty), a page at a time, so a collection of millions never sits in memory at once.
     */
    public void scan(String collection, String filter, List<String> fields, int pageSize,
            Consumer<List<Map<String, Object>>> page) {
        ensureLoaded(collection);
        // The connection stays borrowed for the whole scan: the iterator calls through it.
        read(c -> {
            QueryIterator iterator = c.queryIterator(QueryIteratorReq.builder().collectionName(collection)
                    .expr(filter).outputFields(fields).batchSize(pageSize).consistencyLevel(ConsistencyLevel.STRONG).build());
            try {
                while (true) {
                    List<QueryResultsWrapper.RowRecord> rows = iterator.next();
                    if (rows.isEmpty()) {
                        return null;
                    }
                    page.accept(rows.stream().map(QueryResultsWrapper.RowRecord::getFieldValues).toList());
                }
            } finally {
                iterator.close();
            }
        });
    }

    /**
     * The named fields of the entities matching the filter, read with Strong consistency; for
     * short filters (a few hundred keys) only, larger sets go through {@link #scan}. JSON field
     * values come back as their JSON text, a NULL one as null.
     */
    public List<Map<String, Object>> query(String collection, String filter, List<String> fields) {
        ensureLoaded(collection);
        QueryResp answer = read(c -> c.query(QueryReq.builder().collectionName(collection).filter(filter)
                .outputFields(fields).consistencyLevel(ConsistencyLevel.STRONG).build()));
        List<Map<String, Object>> out = new ArrayList<>(answer.getQueryResults().size());
        for (QueryResp.QueryResult result : answer.getQueryResults()) {
            out.add(plain(result.getEntity()));
        }
        return out;
    }

    /** An entity's fields with JSON values as their JSON text and a NULL one as null. */
    private static Map<String, Object> plain(Map<String, Object> fields) {
        Map<String, Object> entity = new LinkedHashMap<>();
        fields.forEach((name, value) -> entity.put(name, value instanceof JsonNull ? null
                : value instanceof com.google.gson.JsonElement json ? json.toString() : value));
        return entity;
    }

    /** One search hit: the entity's primary key, the metric's score and the asked fields. */
    public record Hit(Object primaryKey, float score, Map<String, Object> fields) {
    }

    /**
     * The {@code limit} entities nearest to the vector in the field, with Strong consistency (a
     * row changed a moment ago is found as it is now). Scores are the metric's: similarity for
     * COSINE and IP (higher is nearer), distance for L2 (lower is nearer).
     */
    public List<Hit> search(String collection, String vectorField, float[] vector, int limit, List<String> fields) {
        ensureLoaded(collection);
        io.milvus.v2.service.vector.response.SearchResp answer = read(c -> c.search(
                io.milvus.v2.service.vector.request.SearchReq.builder().collectionName(collection).annsField(vectorField)
                        .data(List.of(new io.milvus.v2.service.vector.request.data.FloatVec(vector))).limit(limit)
                        .outputFields(fields).consistencyLevel(ConsistencyLevel.STRONG).build()));
        List<Hit> out = new ArrayList<>();
        for (io.milvus.v2.service.vector.response.SearchResp.SearchResult result : answer.getSearchResults().get(0)) {
            out.add(new Hit(result.getId(), result.getScore(), plain(result.getEntity())));
        }
        return out;
    }

    /** Every field, nulls included: a Milvus upsert replaces the whole entity. */
    private static JsonObject row(String primaryKeyField, VectorRecord.Entity e) {
        JsonObject row = new JsonObject();
        row.addProperty(primaryKeyField, e.primaryKey());
        if (e.fields() != null) {
            e.fields().forEach((name, value) -> row.add(name, value == null ? JsonNull.INSTANCE : GSON.toJsonTree(value)));
        }
        e.vectors().forEach((name, vector) -> {
            JsonArray values = new JsonArray(vector.size());
            vector.forEach(values::add);
            row.add(name, values);
        });
        return row;
    }

    @PreDestroy
    void close() {
        connections.close();
    }
}
