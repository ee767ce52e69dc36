package com.datarsync.deploy.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.testsupport.LocalInfra;
import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The local Milvus (Lite) over its gRPC API: a collection created, written, queried and searched. */
class MilvusIT {

    @Test
    void createsWritesQueriesAndSearchesACollection() {
        String name = "it_milvus_" + ProcessHandle.current().pid();
        MilvusClientV2 milvus = new MilvusClientV2(ConnectConfig.builder().uri(LocalInfra.get().milvusUri()).build());
        try {
            CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
            schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true)
                    .autoID(false).build());
            schema.addField(AddFieldReq.builder().fieldName("title").dataType(DataType.VarChar).maxLength(128).build());
            schema.addField(AddFieldReq.builder().fieldName("vec").dataType(DataType.FloatVector).dimension(4).build());
            milvus.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema).build());
            // Milvus Lite lacks the RPC the SDK's index wait uses: create without waiting (design part 3).
            milvus.createIndex(CreateIndexReq.builder().collectionName(name).sync(false)
                    .indexParams(List.of(IndexParam.builder().fieldName("vec").indexType(IndexParam.IndexType.FLAT)
                            .metricType(IndexParam.MetricType.COSINE).build()))
                    .build());
            milvus.loadCollection(LoadCollectionReq.builder().collectionName(name).build());

            milvus.upsert(UpsertReq.builder().collectionName(name).data(List.of(
                    row(1, "north", 1, 0, 0, 0), row(2, "east", 0, 1, 0, 0), row(3, "south", 0, 0, 1, 0))).build());
            // Upsert by key replaces: the writer relies on this, never on plain insert.
            milvus.upsert(UpsertReq.builder().collectionName(name).data(List.of(row(2, "east-2", 0, 1, 0, 0))).build());
            milvus.delete(DeleteReq.builder().collectionName(name).filter("id == 3").build());

            QueryResp rows = milvus.query(QueryReq.builder().collectionName(name).filter("id >= 0")
                    .outputFields(List.of("id", "title")).consistencyLevel(ConsistencyLevel.STRONG).build());
            Map<Long, Object> titles = rows.getQueryResults().stream().map(QueryResp.QueryResult::getEntity)
                    .collect(Collectors.toMap(e -> (Long) e.get("id"), e -> e.get("title")));
            assertThat(titles).containsExactlyInAnyOrderEntriesOf(Map.of(1L, "north", 2L, "east-2"));

            QueryResp count = milvus.query(QueryReq.builder().collectionName(name).filter("")
                    .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build());
            assertThat(count.getQueryResults().get(0).getEntity().get("count(*)")).isEqualTo(2L);

            SearchResp hits = milvus.search(SearchReq.builder().collectionName(name).annsField("vec").topK(1)
                    .data(List.of(new FloatVec(new float[] {0.1f, 0.9f, 0f, 0f}))).outputFields(List.of("title"))
                    .consistencyLevel(ConsistencyLevel.STRONG).build());
            assertThat(hits.getSearchResults().get(0)).singleElement()
                    .satisfies(hit -> assertThat(hit.getEntity().get("title")).isEqualTo("east-2"));
        } finally {
            milvus.dropCollection(DropCollectionReq.builder().collectionName(name).build());
            milvus.close();
        }
    }

    private static JsonObject row(long id, String title, float... vec) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("title", title);
        com.google.gson.JsonArray v = new com.google.gson.JsonArray();
        for (float f : vec) {
            v.add(f);
        }
        o.add("vec", v);
        return o;
    }
}
