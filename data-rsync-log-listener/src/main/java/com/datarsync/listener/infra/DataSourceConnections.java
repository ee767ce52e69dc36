package com.datarsync.listener.infra;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.security.InternalCredential;
import com.datarsync.common.task.SourceKind;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.web.InternalCalls;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Asks the data-source service for the connection of a task's source (decrypted credential
 * included) over its internal route, each time the listener connects: a changed host or password
 * takes effect at the task's next start, and nothing is cached. When the data-source service
 * cannot answer, the call fails with {@link ErrorCode#SERVICE_UNAVAILABLE}, which the task
 * supervisor retries (the task shows RETRYING with the reason).
 */
@Component
public class DataSourceConnections {

    private static final String DATA_SOURCE = "data-rsync-data-source";

    private final RestClient http;

    public DataSourceConnections(LoadBalancerClient loadBalancer,
            @Value("${" + InternalCredential.PROPERTY + ":}") String token) {
        this.http = InternalCalls.balanced(loadBalancer, token, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    /**
     * The source's connection, checked against the definition: the kind and database the task
     * names tables in must still be the source's. {@code forCapture}: a disabled source is refused
     * (no capture may start on it); cleaning up after a task is allowed on a disabled source.
     */
    public SourceEndpoint endpoint(SyncTaskDefinition task, boolean forCapture) {
        long id = task.source().dataSourceId();
        Connection c = InternalCalls.call(DATA_SOURCE, Map.of("dataSourceId", id), "give the source's connection",
                () -> http.get().uri("http://" + DATA_SOURCE + "/internal/datasources/{id}/connection", id).retrieve()
                        .body(Connection.class));
        if (c == null) {
            throw new DataRsyncException(ErrorCode.BAD_GATEWAY, "The data-source service gave no connection for data "
                    + "source " + id, Map.of("dataSourceId", id), null);
        }
        if (!c.kind().equals(task.source().kind()) || !c.database().equals(task.source().database())) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Data source " + id + " is now " + c.kind() + " database '"
                    + c.database() + "'; the task was defined on " + task.source().kind() + " database '"
                    + task.source().database() + "'. Update the task", Map.of("dataSourceId", id), null);
        }
        if (forCapture && !c.enabled()) {
            throw new DataRsyncException(ErrorCode.CONFLICT, "Data source " + id + " is disabled; enable it "
                    + "(POST /api/datasources/" + id + "/enable) to start tasks on it", Map.of("dataSourceId", id), null);
        }
        SourceKind kind = SourceKind.byId(c.kind()).filter(SourceKind::captured).orElseThrow(() -> new DataRsyncException(ErrorCode.CONFLICT,
                "Data source " + id + " is a " + c.kind() + " source, which the data path does not capture yet",
                Map.of("dataSourceId", id), null));
        return new SourceEndpoint(id, kind, c.host(), c.port(), c.database(), c.username(), c.password());
    }

    /** The data-source service's answer; {@code toString} leaves the password out. */
    public record Connection(long id, String kind, String host, int port, String database, String username, String password,
            boolean enabled) {
        @Override
        public String toString() {
            return "Connection[id=" + id + "]";
        }
    }
}
