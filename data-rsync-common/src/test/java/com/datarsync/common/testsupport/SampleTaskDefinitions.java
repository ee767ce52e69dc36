package com.datarsync.common.testsupport;

/** Task definitions for unit tests that need a valid one and do not care about its details. */
public final class SampleTaskDefinitions {

    /** A MariaDB table into a one-vector collection; {@code %s} is the mode. */
    public static final String ARTICLES_WITH_MODE = """
            {"id": "articles", "mode": "%s",
             "source": {"dataSourceId": 1, "kind": "mariadb", "database": "shop"},
             "tables": [{"table": "articles"}],
             "target": {"collection": "articles", "primaryKeyField": "pk",
                        "scalarFields": [{"name": "title", "type": "VARCHAR", "maxLength": 512}],
                        "vectors": [{"name": "embedding", "dimension": 384, "metric": "COSINE",
                                     "embedding": {"provider": "onnx-local", "model": "all-minilm-l6-v2",
                                                   "template": "{title}"}}]}}
            """;

    private SampleTaskDefinitions() {
    }

    public static String articles(String mode) {
        return ARTICLES_WITH_MODE.formatted(mode);
    }
}
