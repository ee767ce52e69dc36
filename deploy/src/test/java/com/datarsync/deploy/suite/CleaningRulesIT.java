package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Cleaning rules (tables[].clean) end to end on MariaDB: each NULL policy (KEEP, DEFAULT,
 * DROP_ROW, the last also removing a row that becomes NULL), NFC normalisation with whitespace
 * collapsed and trimmed before embedding, and each check (oneOf, max, pattern, maxLength)
 * sending its row to the dead letters naming the column and the rule. Expected values are
 * written here from the rules, not read from the product; vectors are compared with the
 * independent reference model on the expected text.
 */
class CleaningRulesIT extends RunningSuite {

    @Test
    void nullPoliciesNormalisationAndChecksApplyBeforeMappingAndEmbedding() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "clean_" + runId();
        String table = "clean_rows";
        source.create(table, "CREATE TABLE " + table + " (id INT PRIMARY KEY, title VARCHAR(200) NULL, body TEXT NULL, "
                + "category VARCHAR(20) NULL, score INT NULL, code VARCHAR(20) NULL) CHARACTER SET utf8mb4");
        String definition = """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s,
                 "tables": [{"table": "%s", "renames": {"body": "content"},
                             "clean": {"title": {"ifNull": "DEFAULT", "default": "untitled", "trim": true,
                                                 "collapseWhitespace": true, "unicode": "NFC"},
                                       "body": {"ifNull": "KEEP", "maxLength": 40},
                                       "category": {"ifNull": "DROP_ROW", "oneOf": ["news", "blog"]},
                                       "score": {"min": 0, "max": 100},
                                       "code": {"pattern": "[A-Z]{3}-[0-9]+"}}}],
                 "target": {"collection": "%s", "primaryKeyField": "pk",
                            "scalarFields": [{"name": "title", "type": "VARCHAR", "maxLength": 256},
                                             {"name": "content", "type": "VARCHAR", "maxLength": 256},
                                             {"name": "category", "type": "VARCHAR", "maxLength": 32},
                                             {"name": "score", "type": "INT32"},
                                             {"name": "code", "type": "VARCHAR", "maxLength": 32}],
                            "vectors": [{"name": "embedding", "dimension": 384, "metric": "COSINE", "indexType": "AUTOINDEX",
                                         "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2",
                                                       "template": "{title} | {body}"}}]}}
                """.formatted(taskId, source.sourceJson(), table, taskId);
        try (DataPathClient client = new DataPathClient(); java.sql.Connection db = source.connect();
                java.sql.Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO " + table + " VALUES "
                    + "(1, 'Plain', 'first body', 'news', 10, 'ABC-1'), "
                    + "(2, NULL, 'no title', 'blog', 20, 'ABC-2'), "
                    // "Cafe" + U+0301 COMBINING ACUTE, spread over tabs and new lines.
                    + "(3, '  Cafe\u0301 \\t\\n  latte  ', NULL, 'news', 30, 'ABC-3'), "
                    + "(4, 'No category', 'dropped', NULL, 40, 'ABC-4'), "
                    + "(5, 'Wrong category', 'x', 'other', 50, 'ABC-5')");
            try {
                client.startTask(definition);
                Map<String, String> expected = new TreeMap<>(Map.of("1", "Plain", "2", "untitled", "3", "Caf\u00e9 latte"));
                awaitTitles(client, taskId, expected, "after the snapshot");

                sql.execute("INSERT INTO " + table + " VALUES (6, 'Too high', 'y', 'blog', 150, 'ABC-6'), "
                        + "(7, 'Bad code', 'z', 'news', 70, 'abc'), "
                        + "(8, 'Long body', '" + "b".repeat(41) + "', 'news', 80, 'ABC-8')");
                // Row 4 gets a category (it appears), row 1 loses its own (it is removed).
                sql.execute("UPDATE " + table + " SET category = 'blog' WHERE id = 4");
                sql.execute("UPDATE " + table + " SET category = NULL WHERE id = 1");
                expected.remove("1");
                expected.put("4", "No category");
                awaitTitles(client, taskId, expected, "after the changes");

                Map<String, String> texts = Map.of("2", "untitled | no title", "3", "Caf\u00e9 latte | ",
                        "4", "No category | dropped");
                Map<String, Map<String, Object>> entities = new HashMap<>();
                client.milvus.query(QueryReq.builder().collectionName(taskId).filter("")
                        .outputFields(List.of("pk", "title", "content", "category", "embedding"))
                        .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults()
                        .forEach(r -> entities.put((String) r.getEntity().get("pk"), r.getEntity()));
                assertThat(entities.get("3").get("content")).as("a NULL kept").isNull();
                assertThat(entities.get("4").get("category")).isEqualTo("blog");
                texts.forEach((pk, text) -> {
                    @SuppressWarnings("unchecked")
                    List<Float> vector = (List<Float>) entities.get(pk).get("embedding");
                    assertThat(RawOnnxRuntime.cosine(DataPathClient.reference(text), vector)).as("vector of %s", pk)
                            .isGreaterThan(0.999);
                });

                List<JsonNode> letters = TaskTopics.deadLetters(taskId, 4);
                Map<String, String> reasons = new TreeMap<>();
                for (JsonNode letter : letters) {
                    assertThat(letter.get("stage").asText()).isEqualTo("data-process");
                    assertThat(letter.get("code").asText()).isEqualTo("DRS-4220");
                    String reason = letter.get("reason").asText();
                    reasons.put(reason.replaceAll(".*column '(\\w+)' breaks its cleaning rule '(\\w+)'.*", "$1 $2"), reason);
                }
                System.out.println("CLEANING dead letters: " + reasons.values());
                assertThat(reasons.keySet()).containsExactlyInAnyOrder("category oneOf", "score max", "code pattern",
                        "body maxLength");
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    private static void awaitTitles(DataPathClient client, String collection, Map<String, String> expected, String when) {
        await(when).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    Map<String, String> titles = new TreeMap<>();
                    client.milvus.query(QueryReq.builder().collectionName(collection).filter("")
                            .outputFields(List.of("pk", "title")).consistencyLevel(ConsistencyLevel.STRONG).build())
                            .getQueryResults().forEach(r -> titles.put((String) r.getEntity().get("pk"),
                                    (String) r.getEntity().get("title")));
                    assertThat(titles).isEqualTo(expected);
                });
    }
}
