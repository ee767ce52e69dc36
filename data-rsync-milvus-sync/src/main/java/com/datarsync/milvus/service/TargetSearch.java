package com.datarsync.milvus.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.milvus.infra.MilvusCollections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * A semantic search of a task's collection with a query vector data-process made with the task's
 * own model (the console's playground). In a chunked collection the hits can be grouped by row:
 * each row once, by its nearest chunk, with how many of its chunks were among the nearest.
 */
@Service
public class TargetSearch {

    /** How many chunks are fetched per row asked for, when grouping: rows with many near chunks still leave room for others. */
    static final int CHUNKS_PER_ROW = 8;
    static final int MAX_FETCH = 1_000;

    private final MilvusCollections milvus;

    public TargetSearch(MilvusCollections milvus) {
        this.milvus = milvus;
    }

    /** One row or entity found: its keys, score, the chunk's text when chunked, and its scalar fields. */
    public record Found(String primaryKey, String rowKey, float score, String chunk, int matchedChunks,
            Map<String, Object> fields) {
    }

    public List<Found> search(SyncTaskDefinition task, String vectorField, float[] vector, int topK, boolean groupByRow) {
        SyncTaskDefinition.Target target = task.target();
        String rowKeyField = target.rowKeyField() != null ? target.rowKeyField() : target.primaryKeyField();
        List<String> fields = new ArrayList<>();
        if (!rowKeyField.equals(target.primaryKeyField())) {
            fields.add(rowKeyField);
        }
        if (target.chunkTextField() != null) {
            fields.add(target.chunkTextField());
        }
        if (target.scalarFields() != null) {
            target.scalarFields().forEach(f -> fields.add(f.name()));
        }
        boolean grouped = groupByRow && target.chunked();
        int limit = grouped ? Math.min(topK * CHUNKS_PER_ROW, MAX_FETCH) : topK;
        List<MilvusCollections.Hit> hits;
        try {
            hits = milvus.search(target.collection(), vectorField, vector, limit, fields);
        } catch (DataRsyncException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataRsyncException(ErrorCode.TARGET_UNAVAILABLE, "Milvus could not search collection '"
                    + target.collection() + "': " + e.getMessage(), Map.of(), e);
        }
        // Hits come nearest first: the first of a row is its nearest chunk.
        Map<String, Found> out = new LinkedHashMap<>();
        for (MilvusCollections.Hit hit : hits) {
            Map<String, Object> scalars = new LinkedHashMap<>(hit.fields());
            String primaryKey = String.valueOf(hit.primaryKey());
            Object rowKey = scalars.remove(rowKeyField);
            String row = rowKey == null ? primaryKey : rowKey.toString();
            String chunk = target.chunkTextField() == null ? null : (String) scalars.remove(target.chunkTextField());
            scalars.remove(target.primaryKeyField());
            String slot = grouped ? row : primaryKey;
            Found seen = out.get(slot);
            if (seen == null) {
                if (out.size() < topK) {
                    out.put(slot, new Found(primaryKey, row, hit.score(), chunk, 1, scalars));
                }
            } else {
                out.put(slot, new Found(seen.primaryKey(), row, seen.score(), seen.chunk(), seen.matchedChunks() + 1,
                        seen.fields()));
            }
        }
        return List.copyOf(out.values());
    }
}
