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

/**
 * On the real local Milvus: chunk removal by row key with keys that need quoting, streaming
 * every key past a page, and which of Milvus' own refusals count as refusals of the data.
 */
class MilvusCollectionsIT {

    private static final String COLLECTION = "it_chunks_" + Long.toString(System.nanoTime() % 1_000_000, 36);
    /** Quote, backslash, line break, Chinese, emoji and the key separators: all must survive quoting. */
    private static final String ODD = "a\"b\\c\nd|e#f 数据🚀";

    private final MilvusCollections milvus = new MilvusCollections(new MilvusConnectionPool(
            LocalInfra.get().milvusUri(), Duration.ofSeconds(8), Duration.ofSeconds(60), MilvusConnectionPool.Settings.DEFAULTS));
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

    @Test
    void scanStreamsEveryMatchingEntityPageByPage() {
        milvus.ensure(plainTarget());
        List<VectorRecord.Entity> entities = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            entities.add(new VectorRecord.Entity((i % 2 == 0 ? "shop.a/" : "shop.b/") + i, Map.of("title", "t" + i),
                    Map.of("v", List.of((float) i, 1f))));
        }
        milvus.upsert(COLLECTION, "pk", entities);
        List<Integer> pages = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        milvus.scan(COLLECTION, "", List.of("pk"), 1_000, page -> {
            pages.add(page.size());
            page.forEach(e -> seen.add((String) e.get("pk")));
        });
        assertThat(seen).hasSize(2_500);
        assertThat(pages).hasSizeGreaterThanOrEqualTo(3).allMatch(size -> size <= 1_000);

        TreeSet<String> onlyA = new TreeSet<>();
        milvus.scan(COLLECTION, com.datarsync.milvus.domain.MilvusExpressions.startsWith("pk", "shop.a/"),
                List.of("pk", "title"), 500, page -> page.forEach(e -> onlyA.add((String) e.get("pk"))));
        assertThat(onlyA).hasSize(1_250).allMatch(k -> k.startsWith("shop.a/"));
    }

    @Test
    void refusalsOfTheDataAreToldApartFromFailuresOfMilvus() {
        milvus.ensure(plainTarget());
        RuntimeException wrongDimension = catchFailure(() -> milvus.upsert(COLLECTION, "pk", List.of(
                new VectorRecord.Entity("k1", Map.of("title", "ok"), Map.of("v", List.of(1f, 2f, 3f))))));
        RuntimeException tooLong = catchFailure(() -> milvus.upsert(COLLECTION, "pk", List.of(
                new VectorRecord.Entity("k2", Map.of("title", "x".repeat(40)), Map.of("v", List.of(1f, 2f))))));
        assertThat(MilvusFailures.isAboutTheData(wrongDimension)).as(wrongDimension.toString()).isTrue();
        assertThat(MilvusFailures.isAboutTheData(tooLong)).as(tooLong.toString()).isTrue();

        RuntimeException missing = catchFailure(() -> milvus.upsert("no_such_collection_" + COLLECTION, "pk", List.of(
                new VectorRecord.Entity("k3", Map.of("title", "ok"), Map.of("v", List.of(1f, 2f))))));
        assertThat(MilvusFailures.isAboutTheData(missing)).as(missing.toString()).isFalse();
    }

    private static RuntimeException catchFailure(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("Milvus accepted it");
    }

    private static SyncTaskDefinition.Target plainTarget() {
        SyncTaskDefinition.Embedding text = new SyncTaskDefinition.Embedding("onnx-local", "all-minilm-l6-v2", "{t}",
                null, null);
        return new SyncTaskDefinition.Target(COLLECTION, "pk", null, null,
                List.of(new SyncTaskDefinition.ScalarField("title", SyncTaskDefinition.FieldType.VARCHAR, 16)),
                List.of(new SyncTaskDefinition.VectorField("v", 2, SyncTaskDefinition.Metric.L2, "FLAT", null, text)));
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
