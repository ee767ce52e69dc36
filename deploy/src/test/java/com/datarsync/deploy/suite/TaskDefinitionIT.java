package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.v2.common.DataType;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad task definitions and unusable sources or targets are refused with a clear, stable error,
 * before anything is created; a source that cannot be reached shows the task RETRYING with the
 * reason.
 */
class TaskDefinitionIT extends RunningSuite {

    private final MariaDbE2eTable table = new MariaDbE2eTable();

    @Test
    void anInvalidDefinitionIsRefusedByTheTaskApiAndEveryStageNamingTheFields() throws Exception {
        String bad = table.definition("bad_task", "bad_task").replace("\"mariadb\"", "\"db2\"")
                .replace("\"dimension\": 384", "\"dimension\": 0");

        HttpResponse<String> created = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks"),
                "{\"definition\": " + bad + "}");
        assertThat(created.statusCode()).isEqualTo(400);
        assertThat(violations(created)).containsExactlyInAnyOrder("definition.source.kind",
                "definition.target.vectors[0].dimension");
        assertThat(created.body()).doesNotContain("Exception").doesNotContain("at com.");
        assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/bad_task")).statusCode()).isEqualTo(404);

        // The same validator answers in every stage's worker endpoint.
        for (List<String> stage : SuiteProcesses.STAGES) {
            HttpResponse<String> answer = SuiteProcesses.post(SuiteProcesses.direct(stage.get(1),
                    "/internal/stage/validate"), bad);
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(violations(answer)).containsExactlyInAnyOrder("source.kind", "target.vectors[0].dimension");
        }
    }

    @Test
    void aDimensionTheModelDoesNotMakeIsRefusedAtStartCreatingNothing() throws Exception {
        String id = "dim_task_" + runId();
        String wrong = table.definition(id, id).replace("\"dimension\": 384", "\"dimension\": 768");
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.createTask(wrong);
                HttpResponse<String> answer = client.action(id, "start");

                assertThat(answer.statusCode()).isEqualTo(400);
                assertThat(JSON.readTree(answer.body()).get("message").asText())
                        .contains("target.vectors[0].dimension").contains("384").contains("768");
                // Validation is side-effect free: no stage holds the task, no collection was created.
                for (List<String> stage : SuiteProcesses.STAGES) {
                    assertThat(SuiteProcesses.get(SuiteProcesses.direct(stage.get(1), "/internal/stage/tasks/" + id))
                            .statusCode()).isEqualTo(404);
                }
                assertThat(client.milvus.hasCollection(HasCollectionReq.builder().collectionName(id).build())).isFalse();
                assertThat(JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + id)).body())
                        .path("state").asText()).isEqualTo("CREATED");
            } finally {
                client.deleteTask(id, true);
            }
        }
    }

    @Test
    void validateChecksADefinitionInEveryStageSavingAndCreatingNothing() throws Exception {
        String id = "validate_" + runId();
        // The listener's check wants the table to exist (a fresh suite has none yet).
        table.recreate();
        try (DataPathClient client = new DataPathClient()) {
            try {
                HttpResponse<String> valid = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/validate"),
                        "{\"definition\": " + table.definition(id, id) + "}");
                assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
                JsonNode answer = JSON.readTree(valid.body());
                assertThat(answer.path("valid").asBoolean()).isTrue();
                assertThat(answer.path("definition").path("source").path("database").asText()).isEqualTo(table.schema());
                assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + id)).statusCode())
                        .as("nothing saved").isEqualTo(404);

                // A stage's own check (data-process: the model makes 384 dimensions), as at start.
                HttpResponse<String> wrong = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/validate"),
                        "{\"definition\": " + table.definition(id, id).replace("\"dimension\": 384", "\"dimension\": 768") + "}");
                assertThat(wrong.statusCode()).isEqualTo(400);
                assertThat(JSON.readTree(wrong.body()).get("message").asText()).contains("target.vectors[0].dimension");
                for (List<String> stage : SuiteProcesses.STAGES) {
                    assertThat(SuiteProcesses.get(SuiteProcesses.direct(stage.get(1), "/internal/stage/tasks/" + id))
                            .statusCode()).isEqualTo(404);
                }
                assertThat(client.milvus.hasCollection(HasCollectionReq.builder().collectionName(id).build())).isFalse();

                client.createTask(table.definition(id, id));
                HttpResponse<String> taken = SuiteProcesses.post(SuiteProcesses.gateway("/api/tasks/validate"),
                        "{\"definition\": " + table.definition(id, id) + "}");
                assertThat(taken.statusCode()).as(taken.body()).isEqualTo(409);
            } finally {
                client.deleteTask(id, true);
            }
        }
    }

    @Test
    void anUnreachableSourceShowsTheTaskRetryingWithTheReason() throws Exception {
        // A source registered at port 1 on loopback: nothing listens there, the connection is refused at once.
        String id = "unreachable_" + runId();
        String unreachable = table.definition(id, id).replace("\"dataSourceId\": " + table.dataSourceId(),
                "\"dataSourceId\": " + table.dataSourceAt("e2e-unreachable", 1));
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.startTask(unreachable);

                JsonNode[] status = new JsonNode[1];
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    status[0] = client.taskStatus(id);
                    return "RETRYING".equals(status[0].path("state").asText())
                            && "DRS-5031".equals(status[0].path("errorCode").asText());
                });
                assertThat(status[0].get("message").asText()).startsWith("log-listener: The source cannot be reached")
                        .doesNotContain("\n\tat ");
                // The supervisor assigns the listener again after a back-off, counting the attempts.
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> client.taskStatus(id).path("retry").path("attempts").asInt() >= 2);
                assertThat(client.taskStatus(id).toString()).doesNotContain(table.password());
                assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks/" + id)).body())
                        .doesNotContain(table.password());
            } finally {
                client.deleteTask(id, true);
            }
        }
    }

    @Test
    void anExistingCollectionWithAnotherSchemaIsRefusedSayingWhatDiffers() throws Exception {
        String name = "mismatch_" + runId();
        try (DataPathClient client = new DataPathClient()) {
            try {
                CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
                schema.addField(AddFieldReq.builder().fieldName("pk").dataType(DataType.VarChar).maxLength(512)
                        .isPrimaryKey(true).autoID(false).build());
                schema.addField(AddFieldReq.builder().fieldName("embedding").dataType(DataType.FloatVector)
                        .dimension(8).build());
                client.milvus.createCollection(CreateCollectionReq.builder().collectionName(name)
                        .collectionSchema(schema).build());

                client.createTask(table.definition(name, name));
                HttpResponse<String> answer = client.action(name, "start");

                assertThat(answer.statusCode()).isEqualTo(409);
                JsonNode body = JSON.readTree(answer.body());
                assertThat(body.get("code").asText()).isEqualTo("DRS-4091");
                assertThat(body.get("message").asText()).contains("field 'embedding' has dimension 8, the task needs 384")
                        .contains("field 'title' is missing");
            } finally {
                client.deleteTask(name, true);
            }
        }
    }

    private static List<String> violations(HttpResponse<String> answer) throws Exception {
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("code").asText()).isEqualTo("DRS-4000");
        List<String> fields = new ArrayList<>();
        body.get("details").get("violations").forEach(v -> fields.add(v.get("field").asText()));
        return fields;
    }
}
