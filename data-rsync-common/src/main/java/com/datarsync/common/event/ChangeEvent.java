package com.datarsync.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One row change, the same JSON shape for every source kind (docs/data-path.md). The listener
 * converts Debezium's records into this once; nothing after it sees a Debezium type.
 *
 * <p>Column values are already normalised: numbers, booleans and strings as such, DECIMAL as a
 * decimal string, dates and times as ISO-8601 text, binary as base64, JSON columns as JSON text.
 *
 * @param version format version, {@value #VERSION}
 * @param key     the row key in the documented text format ({@link RowKey}), the Milvus primary key
 * @param before  the row before the change (updates and deletes, when the source logs it)
 * @param after   the row after the change (inserts, updates, snapshot reads)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeEvent(
        int version,
        String taskId,
        Source source,
        Op op,
        String key,
        Map<String, Object> before,
        Map<String, Object> after) {

    public static final int VERSION = 1;

    /**
     * Debezium's operation letters, kept as they are widely known. {@code t} is a TRUNCATE of the
     * whole table: it carries no key and no row, and is published to every partition of the change
     * topic, so it stands in order with the changes of every row around it.
     */
    public enum Op {
        c, u, d, r, t,
        /**
         * Not Debezium's: data-rsync's markers around a snapshot, published to every partition
         * like {@code t}. Between {@code b} and {@code e} milvus-sync notes every row it writes;
         * at {@code e} it removes the rows of that partition it did not see (rows the source no
         * longer holds), so a snapshot leaves Milvus exact even over an existing collection.
         */
        b, e,
        /**
         * Not Debezium's: a heartbeat the listener publishes to every partition while the source
         * is quiet. Its {@code source.tsMs} says every change the source committed before then
         * has been published ahead of it; each stage that finishes it knows it is caught up to
         * that time, which keeps the lag true while nothing changes. It carries no key and no row.
         */
        h;

        public boolean isHeartbeat() {
            return this == h;
        }

        public boolean removesRow() {
            return this == d;
        }

        public boolean isTruncate() {
            return this == t;
        }

        public boolean isSnapshotMarker() {
            return this == b || this == e;
        }
    }

    /**
     * @param position the source log position the change was read at (binlog file and offset,
     *                 GTID, or LSN), as Debezium reports it
     * @param tsMs     when the source committed the change (epoch milliseconds)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(
            String kind,
            String database,
            String schema,
            String table,
            Map<String, Object> position,
            long tsMs,
            boolean snapshot) {

        public String qualifiedTable() {
            return schema + "." + table;
        }
    }
}
