package com.datarsync.listener.infra;

import com.datarsync.common.task.SourceKind;

/**
 * Where and as whom the listener connects for a task, as the data-source service holds it at
 * the time of the call. Kept in memory only, for as long as a connection is made from it; never
 * logged ({@link #toString} leaves the password out) and never written to Redis or Kafka.
 */
public record SourceEndpoint(long dataSourceId, SourceKind kind, String host, int port, String database,
        String username, String password) {

    @Override
    public String toString() {
        return "SourceEndpoint[dataSource=" + dataSourceId + ", " + kind.id() + "://" + host + ":" + port + "/" + database
                + "]";
    }
}
