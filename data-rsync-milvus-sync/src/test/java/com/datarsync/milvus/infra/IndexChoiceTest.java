package com.datarsync.milvus.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.task.SyncTaskDefinition;
import io.milvus.v2.common.IndexParam;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexChoiceTest {

    private static SyncTaskDefinition.VectorField field(String type, Map<String, Object> params) {
        return new SyncTaskDefinition.VectorField("embedding", 384, SyncTaskDefinition.Metric.COSINE, type, params, null);
    }

    @Test
    void bySizeTakesIvfFlatForASmallLoadAndHnswFromTheThreshold() {
        SyncTaskDefinition.IndexBuild build = new SyncTaskDefinition.IndexBuild(true, 100_000L, null, null);

        IndexParam small = IndexChoice.of(field("BY_SIZE", null), build, 99_999);
        assertThat(small.getIndexType()).isEqualTo(IndexParam.IndexType.IVF_FLAT);
        assertThat(small.getExtraParams()).containsEntry("nlist", (int) Math.round(4 * Math.sqrt(99_999)));
        assertThat(small.getMetricType()).isEqualTo(IndexParam.MetricType.COSINE);

        IndexParam large = IndexChoice.of(field("BY_SIZE", null), build, 100_000);
        assertThat(large.getIndexType()).isEqualTo(IndexParam.IndexType.HNSW);
        assertThat(large.getExtraParams()).containsEntry("M", 16).containsEntry("efConstruction", 200);
    }

    @Test
    void theTasksParametersWinAndAnExplicitTypeIsKept() {
        SyncTaskDefinition.IndexBuild build = new SyncTaskDefinition.IndexBuild(true, null, Map.of("nlist", "64"),
                Map.of("M", "32"));
        assertThat(IndexChoice.of(field("BY_SIZE", null), build, 10).getExtraParams()).containsEntry("nlist", "64");
        assertThat(IndexChoice.of(field("BY_SIZE", null), build, 2_000_000).getExtraParams()).containsEntry("M", "32")
                .containsEntry("efConstruction", 200);

        IndexParam explicit = IndexChoice.of(field("HNSW", Map.of("M", 8)), build, 10);
        assertThat(explicit.getIndexType()).isEqualTo(IndexParam.IndexType.HNSW);
        assertThat(explicit.getExtraParams()).containsEntry("M", 8);
        assertThat(IndexChoice.of(field(null, null), null, 0).getIndexType()).isEqualTo(IndexParam.IndexType.AUTOINDEX);
    }

    @Test
    void nlistStaysWithinMilvusBounds() {
        assertThat(IndexChoice.nlist(0)).isEqualTo(16);
        assertThat(IndexChoice.nlist(2_000)).isEqualTo(179);
        assertThat(IndexChoice.nlist(100_000_000_000L)).isEqualTo(16_384);
    }
}
