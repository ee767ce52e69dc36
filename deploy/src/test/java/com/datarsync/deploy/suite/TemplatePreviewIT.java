package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The task wizard's template preview shows the text the pipeline embeds: for a table with a
 * value of each kind the time rule and the number rules touch (decimal scale, date, time,
 * date-time, instant, boolean, binary, NULL), the preview's text of every row equals the chunk
 * text milvus-sync stored for that row in a one-chunk task with the same template, on MariaDB
 * and on PostgreSQL. A template naming a column the table lacks, and a limit out of range, are
 * refused naming the field.
 */
class TemplatePreviewIT extends RunningSuite {

    private static final String TEMPLATE = "{title} | {price} | {day} | {at} | {stamp} | {flag} | {data} | {note}";

    @Test
    void thePreviewIsTheTextThePipelineEmbedsOnMariaDb() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        source.create("preview_items", "CREATE TABLE preview_items (id INT PRIMARY KEY, title VARCHAR(80), "
                        + "price DECIMAL(8,2), day DATE, at DATETIME(3), stamp TIMESTAMP(6) NULL, flag TINYINT(1), "
                        + "data VARBINARY(8), note TEXT) CHARACTER SET utf8mb4",
                "INSERT INTO preview_items VALUES (1, 'Vector 向量 🚀', 12.30, '2026-01-05', '2026-01-05 09:30:00.120', "
                        + "'2026-01-05 08:30:00.000001', 1, x'00ff10', NULL), "
                        + "(2, 'second', -0.50, '1999-12-31', '1999-12-31 23:59:59', NULL, 0, NULL, 'a note')");
        comparePreviewWithMilvus(source, "mariadb");
    }

    @Test
    void thePreviewIsTheTextThePipelineEmbedsOnPostgres() throws Exception {
        PostgresE2eTable source = new PostgresE2eTable();
        source.create("preview_items", "CREATE TABLE preview_items (id INT PRIMARY KEY, title VARCHAR(80), "
                        + "price NUMERIC(8,2), day DATE, at TIMESTAMP(3), stamp TIMESTAMPTZ, flag BOOLEAN, data BYTEA, "
                        + "note TEXT)",
                "ALTER TABLE preview_items REPLICA IDENTITY FULL",
                "INSERT INTO preview_items VALUES (1, 'Vector 向量 🚀', 12.30, '2026-01-05', '2026-01-05 09:30:00.120', "
                        + "'2026-01-05 09:30:00.000001+01', true, '\\x00ff10', NULL), "
                        + "(2, 'second', -0.50, '1999-12-31', '1999-12-31 23:59:59', NULL, false, NULL, 'a note')");
        comparePreviewWithMilvus(source, "postgres");
    }

    private void comparePreviewWithMilvus(E2eTable source, String kind) throws Exception {
        String taskId = "preview_" + kind + "_" + runId();
        String base = "/api/datasources/" + source.dataSourceId() + "/schemas/" + source.schema()
                + "/tables/preview_items/preview";
        HttpResponse<String> answer = SuiteProcesses.get(SuiteProcesses.gateway(base + "?limit=5&template="
                + URLEncoder.encode(TEMPLATE, StandardCharsets.UTF_8)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode preview = JSON.readTree(answer.body());
        assertThat(preview.path("keyColumns")).extracting(JsonNode::asText).containsExactly("id");
        Map<String, String> previewed = new HashMap<>();
        preview.path("rows").forEach(r -> previewed.put(r.path("values").path("id").asText(), r.path("text").asText()));
        assertThat(previewed).hasSize(2);
        assertThat(previewed.get("1")).startsWith("Vector 向量 🚀 | 12.30 | 2026-01-05 | ").endsWith(" | ");
        assertThat(previewed.get("2")).contains(" | -0.50 | ").endsWith(" | a note");

        String definition = """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s, "tables": [{"table": "preview_items"}],
                 "target": {"collection": "%s", "primaryKeyField": "pk", "rowKeyField": "row_key", "chunkTextField": "chunk",
                            "vectors": [{"name": "v", "dimension": 384, "metric": "COSINE",
                               "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2", "template": "%s",
                                             "chunking": {"by": "CHARACTERS", "size": 4000}}}]}}
                """.formatted(taskId, source.sourceJson(), taskId, TEMPLATE);
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.startTask(definition);
                Map<String, String> embedded = new HashMap<>();
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> {
                    embedded.clear();
                    client.milvus.query(QueryReq.builder().collectionName(taskId).filter("pk != \"\"")
                                    .outputFields(List.of("row_key", "chunk")).consistencyLevel(ConsistencyLevel.STRONG)
                                    .build()).getQueryResults()
                            .forEach(r -> embedded.put((String) r.getEntity().get("row_key"), (String) r.getEntity().get("chunk")));
                    return embedded.size() == 2;
                });
                // A one-column key is the row key itself (docs/data-path.md, "Row key format").
                embedded.forEach((rowKey, text) ->
                        assertThat(previewed.get(rowKey)).as("row %s: preview vs embedded", rowKey).isEqualTo(text));
            } finally {
                client.deleteTask(taskId, true);
            }
        }

        HttpResponse<String> unknown = SuiteProcesses.get(SuiteProcesses.gateway(base + "?template="
                + URLEncoder.encode("{title} {nope}", StandardCharsets.UTF_8)));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path("details").path("fields").path("template").asText()).contains("nope");
        HttpResponse<String> tooMany = SuiteProcesses.get(SuiteProcesses.gateway(base + "?limit=21&template=%7Btitle%7D"));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("limit");
    }
}
