package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.index.request.ListIndexesReq;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full load written without the vector index (target.index.afterLoad, indexType BY_SIZE):
 * asked of Milvus itself, the collection has no index while the snapshot is written; when the
 * task first reports its snapshot complete, the index is there (IVF_FLAT for this small
 * collection), every row indexed, the collection loaded; and Milvus
 * equals the source through the changes made meanwhile.
 */
class IndexAfterLoadIT extends RunningSuite {

    private static final int SEEDED = 2_000;

    @Test
    void aFullLoadIsWrittenFirstAndIndexedAfterwardsBeforeTheSnapshotCountsAsComplete() throws Exception {
        E2eTable table = new MariaDbE2eTable();
        String taskId = "index_after_" + runId();
        try (DataPathClient client = new DataPathClient()) {
            try {
                table.recreate();
                table.seed(SEEDED);
                String definition = table.definition(taskId, taskId)
                        .replace("\"indexType\": \"AUTOINDEX\"", "\"indexType\": \"BY_SIZE\"")
                        .replace("\"primaryKeyField\": \"pk\",", "\"primaryKeyField\": \"pk\", \"index\": {\"afterLoad\": true},");
                assertThat(definition).contains("BY_SIZE").contains("\"afterLoad\": true");
                client.startTask(definition);

                await("the collection created").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> client.milvus.hasCollection(HasCollectionReq.builder().collectionName(taskId).build()));
                List<String> whileLoading = client.milvus.listIndexes(ListIndexesReq.builder().collectionName(taskId).build());
                boolean completeAlready = snapshotCompleted(taskId);
                assertThat(completeAlready).as("the snapshot is not complete right after the collection's creation").isFalse();
                assertThat(whileLoading).as("vector indexes while the full load is written").isEmpty();
                table.change(50);

                await("snapshot completed").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> snapshotCompleted(taskId));
                DescribeIndexResp.IndexDesc index = client.milvus.describeIndex(DescribeIndexReq.builder()
                        .collectionName(taskId).fieldName("embedding").build()).getIndexDescByFieldName("embedding");
                boolean loaded = Boolean.TRUE.equals(client.milvus.getLoadState(GetLoadStateReq.builder()
                        .collectionName(taskId).build()));
                System.out.printf("INDEX AFTER LOAD: %s %s, state %s, %d rows indexed, %d pending, loaded %s%n",
                        index.getIndexType(), index.getExtraParams(), index.getIndexState(), index.getIndexedRows(),
                        index.getPendingIndexRows(), loaded);
                assertThat(index.getIndexType().name()).isEqualTo("IVF_FLAT");
                assertThat(index.getIndexState().name()).isEqualToIgnoringCase("Finished");
                assertThat(index.getPendingIndexRows()).isZero();
                assertThat(index.getIndexedRows()).as("rows indexed when the snapshot was reported complete")
                        .isGreaterThanOrEqualTo(SEEDED - 50);
                assertThat(loaded).as("collection loaded").isTrue();

                table.change(50);
                client.awaitMirror(table, taskId, "after a full load indexed afterwards and 100 changes");
            } finally {
                client.deleteTask(taskId, true);
                table.dropCaptureState(taskId);
            }
        }
    }

    private static boolean snapshotCompleted(String taskId) throws Exception {
        return JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + taskId)).body())
                .path("snapshotCompletedAt").isTextual();
    }
}
