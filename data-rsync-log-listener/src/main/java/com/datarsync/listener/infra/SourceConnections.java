package com.datarsync.listener.infra;

import com.datarsync.common.source.SourceJdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** Plain JDBC connections to a task's source, for what Debezium does not do (estimates, clean-up, reads). */
public final class SourceConnections {

    /** How long a connect or a read may take; a verification's reads go in pages well below it. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private SourceConnections() {
    }

    public static Connection open(SourceEndpoint source) throws SQLException {
        return SourceJdbc.open(new SourceJdbc.Endpoint(source.kind(), source.host(), source.port(), source.database(),
                source.username(), source.password()), TIMEOUT);
    }
}
