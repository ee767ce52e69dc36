package com.datarsync.milvus.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.event.VectorRecord;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.testsupport.LocalInfra;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.vector.request.QueryReq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Chunk removal by row key on the real local Milvus, with keys that need quoting. */
class MilvusCollectionsIT {

    private static final String COLLECTION = "it_chunks_" + Long.toString(System.nanoTime() % 1_000_000, 36);
    /** Quote, backslash, line break, Chinese, emoji and the key separators: all must survive quoting. */
    private static final String ODD = "a\"b\\c\nd|e#f 数据🚀";

    private final MilvusCollections milvus = new MilvusCollections(LocalInfra.get().milvusUri(), Duration.ofSeconds(8));
    private final MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(LocalInfra.get().milvusUri())
            .build());

    @AfterEach
    void drop() {
        client.dropCollection(DropCollectionReq.builder().collectionName(COLLECTION).build());
        client.close();
        milvus.close();
    }

    @Test
    void removesExactlyTheChunksARowNoLongerHasAndAllChunksOfADeletedRow() {
        SyncTaskDefinition.Embedding text = new SyncTaskDefinition.Embedding("onnx-local", "all-minilm-l6-v2", "{t}",
                null, new SyncTaskDefinition.Chunking(SyncTaskDefinition.ChunkUnit.CHARACTERS, 100, 0, null));
        SyncTaskDefinition.Target target = new SyncTaskDefinition.Target(COLLECTION, "pk", "row_key", null, List.of(),
                List.of(new SyncTaskDefinition.VectorField("v", 2, SyncTaskDefinition.Metric.L2, "FLAT", null, text)));
        milvus.ensure(target);
        List<VectorRecord.Entity> entities = new ArrayList<>(chunks(ODD, 4));
        entities.addAll(chunks("plain", 3));
        milvus.upsert(COLLECTION, "pk", entities);

        // ODD now has 2 chunks: 2 and 3 go; "plain" is untouched.
        milvus.deleteRowEntities(COLLECTION, "row_key", "pk", List.of(ODD), List.of(ODD + "#0", ODD + "#1"));
        assertThat(keys()).containsExactlyInAnyOrder(ODD + "#0", ODD + "#1", "plain#0", "plain#1", "plain#2");

        milvus.deleteRowEntities(COLLECTION, "row_key", "pk", List.of(ODD), List.of());
        assertThat(keys()).containsExactlyInAnyOrder("plain#0", "plain#1", "plain#2");
    }

    private static List<VectorRecord.Entity> chunks(String rowKey, int count) {
        List<VectorRecord.Entity> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new VectorRecord.Entity(VectorRecord.chunkKey(rowKey, i), Map.of("row_key", rowKey),
                    Map.of("v", List.of((float) i, 1f))));
        }
        return out;
    }

    private TreeSet<String> keys() {
        TreeSet<String> out = new TreeSet<>();
        client.query(QueryReq.builder().collectionName(COLLECTION).filter("pk != \"\"").outputFields(List.of("pk"))
                .consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().forEach(r -> out.add((String) r.getEntity().get("pk")));
        return out;
    }
}
