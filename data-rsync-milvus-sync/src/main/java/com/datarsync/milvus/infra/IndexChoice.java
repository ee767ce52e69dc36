package com.datarsync.milvus.infra;

import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import io.milvus.v2.common.IndexParam;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The index a vector field gets: its own type and parameters, or for {@code BY_SIZE} one chosen
 * by the collection's size once a full load is written: IVF_FLAT for a small collection (a flat
 * scan of a few thousand clusters is cheap and exact within them), HNSW for a large one.
 */
final class IndexChoice {

    private IndexChoice() {
    }

    static IndexParam of(SyncTaskDefinition.VectorField vector, SyncTaskDefinition.IndexBuild build, long rows) {
        IndexParam.IndexParamBuilder index = IndexParam.builder().fieldName(vector.name())
                .metricType(IndexParam.MetricType.valueOf(vector.metric().name()));
        Map<String, Object> params = new LinkedHashMap<>();
        if (SyncTaskDefinitions.BY_SIZE.equals(vector.indexType())) {
            long threshold = build == null ? SyncTaskDefinition.IndexBuild.DEFAULT_LARGE_COLLECTION_ROWS
                    : build.largeCollectionRowsOrDefault();
            if (rows >= threshold) {
                index.indexType(IndexParam.IndexType.HNSW);
                params.put("M", 16);
                params.put("efConstruction", 200);
                if (build != null && build.largeParams() != null) {
                    params.putAll(build.largeParams());
                }
            } else {
                index.indexType(IndexParam.IndexType.IVF_FLAT);
                params.put("nlist", nlist(rows));
                if (build != null && build.smallParams() != null) {
                    params.putAll(build.smallParams());
                }
            }
        } else {
            index.indexType(IndexParam.IndexType.valueOf(vector.indexType() == null ? "AUTOINDEX" : vector.indexType()));
            if (vector.indexParams() != null) {
                params.putAll(vector.indexParams());
            }
        }
        if (!params.isEmpty()) {
            index.extraParams(params);
        }
        return index.build();
    }

    /** Milvus' rule of thumb: about 4 x sqrt(rows) clusters, within 16 and 16,384. */
    static int nlist(long rows) {
        return (int) Math.max(16, Math.min(16_384, Math.round(4 * Math.sqrt(rows))));
    }
}
