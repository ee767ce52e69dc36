package com.datarsync.milvus.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.event.VectorRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchCollapserTest {

    private static VectorRecord upsert(String key, String title) {
        return new VectorRecord(VectorRecord.VERSION, "t", "c", VectorRecord.Op.UPSERT, key, List.of(
                new VectorRecord.Entity(VectorRecord.chunkKey(key, 0), Map.of("title", title), Map.of("v", List.of(1f))),
                new VectorRecord.Entity(VectorRecord.chunkKey(key, 1), Map.of("title", title), Map.of("v", List.of(2f)))),
                null, 0);
    }

    private static VectorRecord delete(String key) {
        return VectorRecord.delete("t", "c", key, null, 0);
    }

    @Test
    void eachRowEndsInItsLastStateWithAllItsChunks() {
        BatchCollapser.Collapsed c = BatchCollapser.collapse(List.of(
                upsert("1", "a"), upsert("2", "b"), upsert("1", "a2"),   // 1: last upsert wins
                upsert("3", "c"), delete("3"),                             // 3: insert then delete -> delete
                delete("4"), upsert("4", "d")));                           // 4: delete then insert -> upsert

        assertThat(c.deletes()).containsExactly("3");
        assertThat(c.upserts()).extracting(VectorRecord::rowKey).containsExactly("2", "1", "4");
        assertThat(c.upserts()).filteredOn(r -> r.rowKey().equals("1")).singleElement()
                .satisfies(r -> assertThat(r.entities()).extracting(e -> e.fields().get("title")).containsOnly("a2"));
    }
}
