package com.datarsync.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What milvus-sync writes for one source row: the row's complete set of entities after the
 * change (one entity, or one per chunk when a vector field is chunked), or just the row key
 * for a delete. Keyed in Kafka by the row key, so all of a row's records stay in order.
 *
 * <p>An upsert replaces every entity of the row: entities it lists are written whole (a Milvus
 * upsert replaces the entity) and, in a chunked task, the row's other entities (chunks the text
 * no longer has) are removed. A delete removes every entity of the row.
 *
 * @param rowKey   the row key ({@link RowKey})
 * @param entities the row's entities (upserts only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VectorRecord(
        int version,
        String taskId,
        String collection,
        Op op,
        String rowKey,
        List<Entity> entities,
        Map<String, Object> sourcePosition,
        long sourceTsMs,
        Truncate truncate) {

    /** 2: a record carries a row's entities (chunks) instead of one entity. */
    public static final int VERSION = 2;

    /** {@code HEARTBEAT}: the change topic's heartbeat ({@code h}) passed on; no row, a source time. */
    public enum Op { UPSERT, DELETE, TRUNCATE, SNAPSHOT_BEGIN, SNAPSHOT_END, HEARTBEAT }

    public VectorRecord(int version, String taskId, String collection, Op op, String rowKey, List<Entity> entities,
            Map<String, Object> sourcePosition, long sourceTsMs) {
        this(version, taskId, collection, op, rowKey, entities, sourcePosition, sourceTsMs, null);
    }

    /**
     * A TRUNCATE of one source table as it reaches one partition (a snapshot marker carries only
     * {@code partition} and {@code partitions}). Each partition of the change
     * topic holds a copy, and the vector record of partition {@code partition} goes to the same
     * partition of the vector topic; it removes exactly the table's rows whose change-topic key
     * ({@code changeKeyPrefix + row key}) Kafka's default partitioner puts in that partition. So
     * every row's entities are removed in order with that row's own changes, on every partition.
     *
     * @param table           the qualified source table ({@code schema.table})
     * @param rowKeyPrefix    what the table's row keys start with: {@code schema.table/} in a
     *                        multi-table task, empty when the task captures this table only
     * @param changeKeyPrefix prepended to a row key to give its change-topic key
     * @param partition       the change-topic partition this copy travelled in
     * @param partitions      the change topic's partition count
     */
    public record Truncate(String table, String rowKeyPrefix, String changeKeyPrefix, int partition, int partitions) {
    }

    /**
     * One Milvus entity.
     *
     * @param primaryKey the Milvus primary key: the row key, or {@code <row key>#<chunk number>}
     * @param fields     scalar fields by target field name, converted to their Milvus types
     * @param vectors    vectors by target field name
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entity(String primaryKey, Map<String, Object> fields, Map<String, List<Float>> vectors) {
    }

    public static VectorRecord delete(String taskId, String collection, String rowKey,
            Map<String, Object> sourcePosition, long sourceTsMs) {
        return new VectorRecord(VERSION, taskId, collection, Op.DELETE, rowKey, null, sourcePosition, sourceTsMs);
    }

    /** A heartbeat: everything the source committed before {@code sourceTsMs} went ahead of it. */
    public static VectorRecord heartbeat(String taskId, String collection, long sourceTsMs) {
        return new VectorRecord(VERSION, taskId, collection, Op.HEARTBEAT, null, null, null, sourceTsMs);
    }

    /** A snapshot marker ({@link Op#SNAPSHOT_BEGIN} or {@link Op#SNAPSHOT_END}) for one partition. */
    public static VectorRecord snapshotMarker(String taskId, String collection, Op op, int partition, int partitions) {
        return new VectorRecord(VERSION, taskId, collection, op, null, null, null, 0,
                new Truncate(null, null, null, partition, partitions));
    }

    public static VectorRecord truncate(String taskId, String collection, Truncate truncate,
            Map<String, Object> sourcePosition, long sourceTsMs) {
        return new VectorRecord(VERSION, taskId, collection, Op.TRUNCATE, null, null, sourcePosition, sourceTsMs, truncate);
    }

    /** The primary key of chunk {@code number} of a row: {@code <row key>#<number>}. */
    public static String chunkKey(String rowKey, int number) {
        return rowKey + "#" + number;
    }
}
