package com.datarsync.task.infra;

import com.datarsync.common.security.InternalCredential;
import com.datarsync.common.web.InternalCalls;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * What the data-source service says of a registered source, without its connection: a task
 * definition copies kind and database from it. Through the internal route, with the internal
 * credential; the source's own refusal (404 for an unknown id) comes back as it answered.
 */
@Component
public class DataSourceDirectory {

    private static final String DATA_SOURCE = "data-rsync-data-source";

    private final RestClient http;

    public DataSourceDirectory(LoadBalancerClient loadBalancer,
            @Value("${" + InternalCredential.PROPERTY + ":}") String token) {
        this.http = InternalCalls.balanced(loadBalancer, token, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    public Descriptor describe(long id) {
        return InternalCalls.call(DATA_SOURCE, Map.of("dataSourceId", id), "describe the data source",
                () -> http.get().uri("http://" + DATA_SOURCE + "/internal/datasources/{id}", id).retrieve()
                        .body(Descriptor.class));
    }

    public record Descriptor(long id, String name, String kind, String database, boolean enabled) {
    }
}
