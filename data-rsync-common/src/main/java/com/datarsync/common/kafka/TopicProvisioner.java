package com.datarsync.common.kafka;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates a task's topics when they are missing, so no stage depends on broker auto-creation. */
public final class TopicProvisioner {

    private final KafkaSettings settings;

    public TopicProvisioner(KafkaSettings settings) {
        this.settings = settings;
    }

    public void ensure(Collection<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, settings.partitions(), settings.replicationFactor())).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new DataRsyncException(ErrorCode.TARGET_UNAVAILABLE, "Kafka at " + settings.bootstrapServers()
                    + " did not create the task topics: " + e.getMessage(), Map.of(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
