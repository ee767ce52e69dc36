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
        long sourceTsMs) {

    /** 2: a record carries a row's entities (chunks) instead of one entity. */
    public static final int VERSION = 2;

    public enum Op { UPSERT, DELETE }

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

    /** The primary key of chunk {@code number} of a row: {@code <row key>#<number>}. */
    public static String chunkKey(String rowKey, int number) {
        return rowKey + "#" + number;
    }
}
