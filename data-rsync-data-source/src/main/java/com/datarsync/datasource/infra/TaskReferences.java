package com.datarsync.datasource.infra;

import com.datarsync.common.security.InternalCredential;
import com.datarsync.common.web.InternalCalls;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Which tasks use a data source, as the task manager knows them (its internal route). Asked
 * before a source is deleted or changes kind or database; when the task manager cannot answer,
 * the change is refused (fail closed) rather than leave a task without its source.
 */
@Component
public class TaskReferences {

    private static final String TASK_MANAGER = "data-rsync-task-manager";

    private final RestClient http;

    public TaskReferences(LoadBalancerClient loadBalancer, @Value("${" + InternalCredential.PROPERTY + ":}") String token) {
        this.http = InternalCalls.balanced(loadBalancer, token, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    /** The ids of the tasks whose definition names this data source. */
    public List<String> tasksUsing(long dataSourceId) {
        String[] ids = InternalCalls.call(TASK_MANAGER, Map.of("id", dataSourceId), "say which tasks use the source",
                () -> http.get().uri("http://" + TASK_MANAGER + "/internal/tasks?dataSourceId={id}", dataSourceId)
                        .retrieve().body(String[].class));
        return ids == null ? List.of() : Arrays.asList(ids);
    }
}
