package com.datarsync.milvus.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinition.FieldType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectionSpecTest {

    private static final SyncTaskDefinition.Embedding TEXT = new SyncTaskDefinition.Embedding("onnx-local",
            "all-minilm-l6-v2", "{title}", null, null);

    private final CollectionSpec spec = CollectionSpec.of(new SyncTaskDefinition.Target("c", "pk", "row_key", null,
            List.of(new SyncTaskDefinition.ScalarField("title", FieldType.VARCHAR, 100),
                    new SyncTaskDefinition.ScalarField("qty", FieldType.INT32, null)),
            List.of(new SyncTaskDefinition.VectorField("v", 384, SyncTaskDefinition.Metric.COSINE, null, null, TEXT),
                    new SyncTaskDefinition.VectorField("w", 512, SyncTaskDefinition.Metric.IP, null, null, TEXT))));

    @Test
    void everyVectorFieldAndTheRowKeyFieldAreInTheSpec() {
        assertThat(spec.fields()).containsKeys("pk", "row_key", "title", "qty", "v", "w");
        assertThat(spec.fields().get("w").dimension()).isEqualTo(512);
        assertThat(spec.fields().get("row_key").nullable()).isFalse();
    }

    @Test
    void aMatchingCollectionHasNoDifferences() {
        assertThat(spec.differences(spec.fields())).isEmpty();
    }

    @Test
    void everyDifferenceIsNamed() {
        Map<String, CollectionSpec.FieldSpec> existing = new LinkedHashMap<>(spec.fields());
        existing.put("title", new CollectionSpec.FieldSpec("VarChar", false, 50, null, true));
        existing.put("v", new CollectionSpec.FieldSpec("FloatVector", false, null, 768, false));
        existing.remove("qty");
        existing.put("extra", new CollectionSpec.FieldSpec("Int64", false, null, null, false));

        assertThat(spec.differences(existing)).containsExactlyInAnyOrder(
                "field 'title' has max_length 50, the task needs 100",
                "field 'v' has dimension 768, the task needs 384",
                "field 'qty' is missing",
                "field 'extra' is not in the task");
    }
}
