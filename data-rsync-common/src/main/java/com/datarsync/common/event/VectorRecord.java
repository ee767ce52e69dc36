package com.datarsync.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What milvus-sync writes: the full entity for an upsert (every scalar field and the vector, since
 * a Milvus upsert replaces the entity), or just the primary key for a delete.
 *
 * @param primaryKey  the row key ({@link RowKey}), the Milvus primary key
 * @param fields      scalar fields by target field name, converted to their Milvus types
 * @param vectors     vectors by target field name
 * @param contentHash SHA-256 (hex) of the embedded text, so repeated text is recognised
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VectorRecord(
        int version,
        String taskId,
        String collection,
        Op op,
        String primaryKey,
        Map<String, Object> fields,
        Map<String, List<Float>> vectors,
        Map<String, Object> sourcePosition,
        long sourceTsMs,
        String contentHash) {

    public static final int VERSION = 1;

    public enum Op { UPSERT, DELETE }

    public static VectorRecord delete(String taskId, String collection, String primaryKey,
            Map<String, Object> sourcePosition, long sourceTsMs) {
        return new VectorRecord(VERSION, taskId, collection, Op.DELETE, primaryKey, null, null, sourcePosition,
                sourceTsMs, null);
    }
}
