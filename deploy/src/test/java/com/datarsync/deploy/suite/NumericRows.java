package com.datarsync.deploy.suite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A MariaDB table of numeric rows ({@code id}, {@code a} = id, {@code b} = id mod 7, and any
 * further columns with defaults) and a numeric-features task on it (no model: fast to load), for
 * tests that need many rows.
 */
final class NumericRows {

    private NumericRows() {
    }

    /** Creates the table afresh and inserts rows 1 to {@code rows} in one transaction. */
    static void create(MariaDbE2eTable source, String table, String moreColumns, int rows) throws SQLException {
        source.create(table, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, a BIGINT, b BIGINT" + moreColumns + ")");
        try (Connection db = source.connect()) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table + " (id, a, b) VALUES (?, ?, ?)")) {
                for (int id = 1; id <= rows; id++) {
                    insert.setLong(1, id);
                    insert.setLong(2, id);
                    insert.setLong(3, id % 7);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
        }
    }

    /** The task: field {@code a}, a 2-dimension vector of a and b; {@code targetExtras} adds target keys. */
    static String definition(MariaDbE2eTable source, String taskId, String table, String targetExtras) {
        return """
                {"id": "%s", "mode": "FULL_AND_INCREMENTAL", "source": %s, "tables": [{"table": "%s"}],
                 "target": {"collection": "%s", "primaryKeyField": "pk", %s
                            "scalarFields": [{"name": "a", "type": "INT64"}],
                            "vectors": [{"name": "features", "dimension": 2, "metric": "L2", "indexType": "AUTOINDEX",
                                         "embedding": {"provider": "numeric", "model": "features", "template": "{a}|{b}",
                                                       "options": {"normalization": "none", "features": "2"}}}]}}
                """.formatted(taskId, source.sourceJson(), table, taskId, targetExtras);
    }
}
