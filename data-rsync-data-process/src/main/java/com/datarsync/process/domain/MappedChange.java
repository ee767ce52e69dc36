package com.datarsync.process.domain;

import java.util.List;
import java.util.Map;

/**
 * What one change means for the target: write the row's current state, remove its key, or
 * remove every row of a truncated table.
 */
public sealed interface MappedChange {

    String key();

    /** @param texts the rendered text of each vector field, in the order of {@code target.vectors} */
    record Upsert(String key, Map<String, Object> fields, List<String> texts) implements MappedChange {
    }

    record Delete(String key) implements MappedChange {
    }

    /** A snapshot begins ({@code begin}) or ends: passed on to milvus-sync in the same partition. */
    record SnapshotMarker(boolean begin) implements MappedChange {
        @Override
        public String key() {
            return null;
        }
    }

    /** A heartbeat of the listener: passed on in the same partition, nothing to write. */
    record Heartbeat() implements MappedChange {
        @Override
        public String key() {
            return null;
        }
    }

    /**
     * @param table        the truncated table, {@code schema.table}
     * @param rowKeyPrefix what the table's row keys start with (empty when the task has one table)
     */
    record Truncate(String table, String rowKeyPrefix) implements MappedChange {
        @Override
        public String key() {
            return null;
        }
    }
}
