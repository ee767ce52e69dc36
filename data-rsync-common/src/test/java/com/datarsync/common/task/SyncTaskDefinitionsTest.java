package com.datarsync.common.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncTaskDefinitionsTest {

    static final String VALID = """
            {"id": "articles", "mode": "FULL_AND_INCREMENTAL",
             "source": {"dataSourceId": 7, "kind": "mariadb", "database": "shop",
                        "options": {"message.key.columns": "shop.articles:id"}},
             "tables": [{"table": "articles", "excludeColumns": ["secret"], "renames": {"body": "content"},
                         "filter": {"operations": ["c", "u", "d", "r"], "where": {"column": "status", "in": ["live"]}}}],
             "target": {"collection": "articles", "primaryKeyField": "pk",
                        "scalarFields": [{"name": "title", "type": "VARCHAR", "maxLength": 512},
                                         {"name": "content", "type": "VARCHAR"}],
                        "vectors": [{"name": "embedding", "dimension": 384, "metric": "COSINE", "indexType": "AUTOINDEX",
                                     "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2",
                                                   "template": "{title}\\n{body}"}}]}}
            """;

    /** Two vector fields, the body one chunked by tokens. */
    static final String CHUNKED = VALID.replace("\"primaryKeyField\": \"pk\",",
            "\"primaryKeyField\": \"pk\", \"rowKeyField\": \"row_key\", \"chunkTextField\": \"chunk\",")
            .replace("""
                                                   "template": "{title}\\n{body}"}}]}}""", """
                                                   "template": "{title}"}},
                                     {"name": "body_vector", "dimension": 512, "metric": "IP",
                                      "embedding": {"provider": "onnx-local", "model": "bge-small-zh-v1.5",
                                                    "template": "{body}",
                                                    "chunking": {"by": "TOKENS", "size": 200, "overlap": 20}}}]}}""");

    @Test
    void aCompleteDefinitionParses() {
        SyncTaskDefinition d = SyncTaskDefinitions.parse(VALID);

        assertThat(d.id()).isEqualTo("articles");
        assertThat(d.tables().get(0).qualifiedName(SourceKind.MARIADB, "shop")).isEqualTo("shop.articles");
        assertThat(d.tables().get(0).keeps("secret")).isFalse();
        assertThat(d.tables().get(0).fieldFor("body")).isEqualTo("content");
        assertThat(d.target().vectors()).singleElement().satisfies(v -> {
            assertThat(v.dimension()).isEqualTo(384);
            assertThat(v.embedding().model()).isEqualTo("all-minilm-l6-v2");
        });
        assertThat(d.target().chunked()).isFalse();
    }

    @Test
    void severalVectorFieldsEachHaveTheirOwnEmbeddingAndOneMayBeChunked() {
        SyncTaskDefinition d = SyncTaskDefinitions.parse(CHUNKED);

        assertThat(d.target().vectors()).extracting(v -> v.embedding().template()).containsExactly("{title}", "{body}");
        assertThat(d.target().chunkedVector()).get().satisfies(v -> {
            assertThat(v.name()).isEqualTo("body_vector");
            assertThat(v.embedding().chunking().by()).isEqualTo(SyncTaskDefinition.ChunkUnit.TOKENS);
            assertThat(v.embedding().chunking().maxChunksOrDefault()).isEqualTo(128);
        });
        // The definition survives a round trip, as the stages store and re-read it.
        assertThat(SyncTaskDefinitions.parse(SyncTaskDefinitions.toJson(d))).isEqualTo(d);
    }

    @Test
    void chunkingMistakesAreRefusedWithTheirPaths() {
        String twoChunked = CHUNKED.replace("\"template\": \"{title}\"}}",
                "\"template\": \"{title}\", \"chunking\": {\"by\": \"CHARACTERS\", \"size\": 100}}}");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(twoChunked))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("target.vectors"));

        String noRowKey = CHUNKED.replace("\"rowKeyField\": \"row_key\", ", "");
        String badWindow = CHUNKED.replace("\"size\": 200, \"overlap\": 20", "\"size\": 200, \"overlap\": 150");
        String remoteTokens = CHUNKED.replace("\"provider\": \"onnx-local\", \"model\": \"bge-small-zh-v1.5\"",
                "\"provider\": \"openai\", \"model\": \"text-embedding-3-small\"");
        String textWithoutChunks = VALID.replace("\"primaryKeyField\": \"pk\",", "\"primaryKeyField\": \"pk\", \"chunkTextField\": \"c\",");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(noRowKey)).hasMessageContaining("target.rowKeyField");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(badWindow))
                .hasMessageContaining("target.vectors[1].embedding.chunking.overlap");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(remoteTokens))
                .hasMessageContaining("target.vectors[1].embedding.chunking.by: TOKENS needs the model's own tokenizer");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(textWithoutChunks))
                .hasMessageContaining("target.chunkTextField");
    }

    @Test
    void everyViolationNamesItsField() {
        String bad = VALID.replace("\"articles\", \"mode\"", "\"Bad Id\", \"mode\"")
                .replace("\"mariadb\"", "\"db2\"")
                .replace("\"dimension\": 384", "\"dimension\": 0")
                .replace("{title}\\n{body}", "{title}\\n{secret}");

        assertThatThrownBy(() -> SyncTaskDefinitions.parse(bad))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.violations()).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                            "id", "source.kind", "target.vectors[0].dimension",
                            "target.vectors[0].embedding.template");
                    assertThat(e.getMessage()).contains("'db2' is not a known source kind; known: mysql, mariadb, postgres")
                            .contains("uses column 'secret', which tables[0] does not capture");
                });
    }

    @Test
    void aKindThatCanBeRegisteredButIsNotCapturedIsRefusedSayingSo() {
        for (String kind : java.util.List.of("oracle", "sqlserver", "mongodb", "redis")) {
            assertThatThrownBy(() -> SyncTaskDefinitions.parse(VALID.replace("\"mariadb\"", "\"" + kind + "\"")))
                    .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> {
                        assertThat(e.violations()).extracting(FieldViolation::field).containsExactly("source.kind");
                        assertThat(e.getMessage()).contains(kind + " sources can be registered and tested but are not "
                                + "captured yet; the data path captures mysql, mariadb, postgres");
                    });
        }
    }

    @Test
    void anUnknownPropertyOrWrongTypeIsRefusedWithItsPath() {
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(VALID.replace("\"maxLength\": 512", "\"maxLen\": 512")))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("target.scalarFields[0].maxLen"));
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(VALID.replace("\"FULL_AND_INCREMENTAL\"", "\"SOMETIMES\"")))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("mode"));
        assertThatThrownBy(() -> SyncTaskDefinitions.parse("{not json"))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("$"));
    }

    @Test
    void theSourceIsARegisteredDataSourceWithoutAddressOrCredential() {
        assertThat(SyncTaskDefinitions.parse(VALID).source().dataSourceId()).isEqualTo(7L);

        assertThatThrownBy(() -> SyncTaskDefinitions.parse(VALID.replace("\"dataSourceId\": 7, ", "")))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("source.dataSourceId"));
        for (String inline : new String[] {"\"password\": \"s3cret\"", "\"passwordEnv\": \"DB_PASSWORD\"",
                "\"host\": \"10.0.0.9\"", "\"port\": 3306", "\"username\": \"u\""}) {
            String withConnection = VALID.replace("\"dataSourceId\": 7, ", "\"dataSourceId\": 7, " + inline + ", ");
            assertThatThrownBy(() -> SyncTaskDefinitions.parse(withConnection))
                    .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> {
                        assertThat(e.violations()).hasSize(1);
                        assertThat(e.violations().get(0).reason()).contains("registered data source")
                                .doesNotContain("s3cret");
                    });
        }
    }

    @Test
    void onlyTheAllowedConnectorOptionsPass() {
        // What Data Rsync sets itself, and driver options a block-list let through (the review's finding 7).
        String refused = VALID.replace("\"message.key.columns\": \"shop.articles:id\"",
                "\"database.hostname\": \"10.0.0.9\", \"database.password\": \"x\", \"offset.storage\": \"file\", "
                        + "\"heartbeat.action.query\": \"DROP TABLE t\", \"database.ssl.truststore.password\": \"y\", "
                        + "\"driver.socketFactory\": \"org.example.Evil\", \"database.jdbc.driver\": \"org.example.Driver\", "
                        + "\"snapshot.max.threads\": \"2\", \"message.key.columns\": \"shop.articles:id\"");

        assertThatThrownBy(() -> SyncTaskDefinitions.parse(refused))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> {
                    assertThat(e.violations()).extracting(FieldViolation::field).containsExactlyInAnyOrder(
                            "source.options.database.hostname", "source.options.database.password",
                            "source.options.offset.storage", "source.options.heartbeat.action.query",
                            "source.options.database.ssl.truststore.password", "source.options.driver.socketFactory",
                            "source.options.database.jdbc.driver");
                    assertThat(e.violations().get(0).reason()).contains("snapshot.max.threads");
                });
        String tuned = VALID.replace("\"message.key.columns\": \"shop.articles:id\"",
                "\"message.key.columns\": \"shop.articles:id\", \"snapshot.fetch.size\": \"5000\", "
                        + "\"max.queue.size\": \"16384\"");
        assertThat(SyncTaskDefinitions.parse(tuned).source().options()).containsEntry("snapshot.fetch.size", "5000");
    }

    @Test
    void anIncrementalSnapshotNeedsTheStreamAndSaneChunks() {
        String incremental = VALID.replace("\"options\": {\"message.key.columns\": \"shop.articles:id\"}",
                "\"snapshot\": {\"method\": \"INCREMENTAL\", \"chunkSize\": 500}");
        SyncTaskDefinition d = SyncTaskDefinitions.parse(incremental);
        assertThat(d.source().incrementalSnapshot()).isTrue();
        assertThat(d.source().snapshot().chunkSizeOrDefault()).isEqualTo(500);
        assertThat(d.source().qualifiedSignalTable(SourceKind.MARIADB)).isEqualTo("shop.datarsync_signal");
        assertThat(d.source().qualifiedSignalTable(SourceKind.POSTGRES)).isEqualTo("public.datarsync_signal");
        assertThat(SyncTaskDefinitions.parse(VALID).source().incrementalSnapshot()).isFalse();

        String wrong = incremental.replace("\"FULL_AND_INCREMENTAL\"", "\"FULL\"")
                .replace("\"chunkSize\": 500", "\"chunkSize\": 0, \"signalTable\": \"x; DROP TABLE y\"");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(wrong))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactlyInAnyOrder("source.snapshot.method",
                                "source.snapshot.chunkSize", "source.snapshot.signalTable"));
        String qualified = incremental.replace("\"chunkSize\": 500", "\"signalTable\": \"ops.signals\"");
        assertThat(SyncTaskDefinitions.parse(qualified).source().qualifiedSignalTable(SourceKind.POSTGRES))
                .isEqualTo("ops.signals");
    }

    @Test
    void anIndexByTheLoadsSizeIsBuiltOnlyAfterABlockingFullLoad() {
        String afterLoad = VALID.replace("\"indexType\": \"AUTOINDEX\"", "\"indexType\": \"BY_SIZE\"")
                .replace("\"primaryKeyField\": \"pk\",", "\"primaryKeyField\": \"pk\", \"index\": {\"afterLoad\": true, "
                        + "\"largeCollectionRows\": 500000},");
        SyncTaskDefinition d = SyncTaskDefinitions.parse(afterLoad);
        assertThat(d.target().indexAfterLoad()).isTrue();
        assertThat(d.target().index().largeCollectionRowsOrDefault()).isEqualTo(500_000);
        assertThat(SyncTaskDefinitions.parse(VALID).target().indexAfterLoad()).isFalse();

        assertThatThrownBy(() -> SyncTaskDefinitions.parse(afterLoad.replace("\"afterLoad\": true", "\"afterLoad\": false")))
                .hasMessageContaining("target.index.afterLoad");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(afterLoad.replace("\"FULL_AND_INCREMENTAL\"", "\"INCREMENTAL\"")))
                .hasMessageContaining("target.index.afterLoad");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(afterLoad.replace("500000", "0")))
                .hasMessageContaining("target.index.largeCollectionRows");
    }

    @Test
    void aTaskMayNameItsTopicsPartitionCount() {
        assertThat(SyncTaskDefinitions.parse(VALID).partitions()).isNull();
        assertThat(SyncTaskDefinitions.parse(VALID.replace("\"mode\"", "\"partitions\": 6, \"mode\"")).partitions())
                .isEqualTo(6);
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(VALID.replace("\"mode\"", "\"partitions\": 0, \"mode\"")))
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(VALID.replace("\"mode\"", "\"partitions\": 65, \"mode\"")))
                .hasMessageContaining("partitions");
    }

    @Test
    void renamesAndFiltersAreChecked() {
        String bad = VALID.replace("\"renames\": {\"body\": \"content\"}", "\"renames\": {\"secret\": \"title\"}")
                .replace("[\"c\", \"u\", \"d\", \"r\"]", "[\"c\", \"x\"]");

        assertThatThrownBy(() -> SyncTaskDefinitions.parse(bad))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactlyInAnyOrder(
                                "tables[0].renames.secret", "tables[0].filter.operations"));
    }

    @Test
    void aTimeWindowParsesAndItsMistakesAreRefusedWithTheirPath() {
        String windowed = VALID.replace("\"where\": {\"column\": \"status\", \"in\": [\"live\"]}",
                "\"window\": {\"column\": \"published_at\", \"from\": \"2026-01-01\"}");
        SyncTaskDefinition d = SyncTaskDefinitions.parse(windowed);
        assertThat(d.tables().get(0).filter().window())
                .isEqualTo(new TimeWindow("published_at", "2026-01-01", null));
        assertThat(SyncTaskDefinitions.parse(SyncTaskDefinitions.toJson(d))).isEqualTo(d);

        for (String bad : new String[] {"{\"column\": \"published_at\"}", "{\"from\": \"yesterday\"}",
                "{\"from\": \"2026-02-01\", \"until\": \"2026-01-01T00:00:00Z\"}"}) {
            String refused = VALID.replace("\"where\": {\"column\": \"status\", \"in\": [\"live\"]}",
                    "\"window\": " + bad);
            assertThatThrownBy(() -> SyncTaskDefinitions.parse(refused)).as(bad)
                    .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                            .extracting(FieldViolation::field).containsExactly("tables[0].filter.window"));
        }
    }

    @Test
    void cleaningRulesParseAndTheirMistakesAreRefusedWithTheirPath() {
        String cleaned = VALID.replace("\"renames\": {\"body\": \"content\"},",
                "\"renames\": {\"body\": \"content\"}, \"clean\": {\"title\": {\"ifNull\": \"DEFAULT\", "
                        + "\"default\": \"untitled\", \"trim\": true, \"unicode\": \"NFC\", \"pattern\": \"[A-Z].*\"}},");
        SyncTaskDefinition d = SyncTaskDefinitions.parse(cleaned);
        assertThat(d.tables().get(0).clean().get("title").defaultValue()).isEqualTo("untitled");
        assertThat(SyncTaskDefinitions.parse(SyncTaskDefinitions.toJson(d))).isEqualTo(d);

        String noDefault = cleaned.replace("\"default\": \"untitled\", ", "");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(noDefault))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("tables[0].clean.title"));
        String excluded = cleaned.replace("\"clean\": {\"title\"", "\"clean\": {\"secret\"");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(excluded))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("tables[0].clean.secret"));
    }

    @Test
    void limitsParseAndAnImpossibleRateIsRefused() {
        String limited = VALID.replaceFirst("\\{\"id\": \"articles\",", "{\"id\": \"articles\", \"limits\": "
                + "{\"eventsPerSecond\": 200, \"milvusEntitiesPerSecond\": 500, "
                + "\"embeddingTextsPerSecond\": {\"onnx-local\": 50}},");
        SyncTaskDefinition d = SyncTaskDefinitions.parse(limited);
        assertThat(d.limits()).isEqualTo(new SyncTaskDefinition.Limits(200, 500, Map.of("onnx-local", 50)));
        assertThat(d.limits().describe()).isEqualTo("200 events/s, 500 Milvus entities/s, onnx-local 50 texts/s");
        assertThat(SyncTaskDefinitions.parse(SyncTaskDefinitions.toJson(d))).isEqualTo(d);

        String zero = limited.replace("200", "0").replace("500", "0").replace(": 50}", ": 2000000}");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(zero))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("limits.eventsPerSecond",
                                "limits.milvusEntitiesPerSecond", "limits.embeddingTextsPerSecond.onnx-local"));
        String otherProvider = limited.replace("{\"onnx-local\": 50}", "{\"openai\": 50}");
        assertThatThrownBy(() -> SyncTaskDefinitions.parse(otherProvider))
                .isInstanceOfSatisfying(InvalidTaskDefinitionException.class, e -> {
                    assertThat(e.violations()).extracting(FieldViolation::field)
                            .containsExactly("limits.embeddingTextsPerSecond.openai");
                    assertThat(e.violations().get(0).reason()).contains("embeds nothing with 'openai'")
                            .contains("onnx-local");
                });
    }

    @Test
    void aProviderGivenNullHasNoLimitAndNoLimitAtAllIsEmpty() {
        Map<String, Integer> none = new java.util.HashMap<>();
        none.put("openai", null);
        SyncTaskDefinition.Limits limits = new SyncTaskDefinition.Limits(null, null, none);
        assertThat(limits.embeddingTextsPerSecond()).isNull();
        assertThat(limits.isEmpty()).isTrue();
        assertThat(new SyncTaskDefinition.Limits(1).isEmpty()).isFalse();
    }
}
