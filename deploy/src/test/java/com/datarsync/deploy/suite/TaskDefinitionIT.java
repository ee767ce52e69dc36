package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.v2.common.DataType;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad task definitions and unusable sources or targets are refused with a clear, stable error. */
class TaskDefinitionIT extends RunningSuite {

    private final MariaDbE2eTable table = new MariaDbE2eTable();

    @Test
    void anInvalidDefinitionIsRefusedByEveryStageNamingTheFields() throws Exception {
        String bad = table.definition("bad_task", "bad_task").replace("\"mariadb\"", "\"db2\"")
                .replace("\"dimension\": 384", "\"dimension\": 0");
        for (String stage : DataPathClient.STAGES_END_FIRST) {
            HttpResponse<String> answer = SuiteProcesses.post(SuiteProcesses.gateway("/api/" + stage + "/tasks"), bad);

            assertThat(answer.statusCode()).isEqualTo(400);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.get("code").asText()).isEqualTo("DRS-4000");
            List<String> fields = new ArrayList<>();
            body.get("details").get("violations").forEach(v -> fields.add(v.get("field").asText()));
            assertThat(fields).containsExactlyInAnyOrder("source.kind", "target.vectors[0].dimension");
            assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at com.");
        }
    }

    @Test
    void aDimensionTheModelDoesNotMakeIsRefusedBeforeTheStart() throws Exception {
        String wrong = table.definition("dim_task", "dim_task").replace("\"dimension\": 384", "\"dimension\": 768");

        HttpResponse<String> answer = SuiteProcesses.post(SuiteProcesses.gateway("/api/process/tasks"), wrong);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("message").asText())
                .contains("target.vectors[0].dimension").contains("384").contains("768");
        assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/api/process/tasks/dim_task")).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnreachableSourceFailsTheTaskWithAClearStatus() throws Exception {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        String unreachable = table.definition("unreachable_src", "unreachable_src")
                .replace("\"port\": " + table.port(), "\"port\": 1");
        try {
            HttpResponse<String> answer = SuiteProcesses.post(SuiteProcesses.gateway("/api/listener/tasks"), unreachable);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

            JsonNode[] status = new JsonNode[1];
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                status[0] = JSON.readTree(SuiteProcesses.get(
                        SuiteProcesses.gateway("/api/listener/tasks/unreachable_src")).body());
                return "FAILED".equals(status[0].path("state").asText());
            });
            assertThat(status[0].get("errorCode").asText()).isEqualTo("DRS-5031");
            assertThat(status[0].get("message").asText()).startsWith("The source cannot be reached")
                    .doesNotContain("\n\tat ");
            assertThat(status[0].toString()).doesNotContain(table.password());
        } finally {
            SuiteProcesses.delete(SuiteProcesses.gateway("/api/listener/tasks/unreachable_src"));
        }
    }

    @Test
    void anExistingCollectionWithAnotherSchemaIsRefusedSayingWhatDiffers() throws Exception {
        String name = "mismatch_" + ProcessHandle.current().pid();
        try (DataPathClient client = new DataPathClient()) {
            try {
                CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
                schema.addField(AddFieldReq.builder().fieldName("pk").dataType(DataType.VarChar).maxLength(512)
                        .isPrimaryKey(true).autoID(false).build());
                schema.addField(AddFieldReq.builder().fieldName("embedding").dataType(DataType.FloatVector)
                        .dimension(8).build());
                client.milvus.createCollection(CreateCollectionReq.builder().collectionName(name)
                        .collectionSchema(schema).build());

                HttpResponse<String> answer = SuiteProcesses.post(SuiteProcesses.gateway("/api/milvus/tasks"),
                        table.definition(name, name));

                assertThat(answer.statusCode()).isEqualTo(409);
                JsonNode body = JSON.readTree(answer.body());
                assertThat(body.get("code").asText()).isEqualTo("DRS-4091");
                assertThat(body.get("message").asText()).contains("field 'embedding' has dimension 8, the task needs 384")
                        .contains("field 'title' is missing");
            } finally {
                client.dropCollection(name);
            }
        }
    }
}
