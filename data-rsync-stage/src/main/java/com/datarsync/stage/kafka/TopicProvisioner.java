package com.datarsync.stage.kafka;

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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates a task's topics when they are missing, so no stage depends on broker auto-creation; and
 * removes a deleted task's topics and consumer groups.
 */
public final class TopicProvisioner {

    /**
     * Largest record a task topic takes: a chunked row's vector record carries every chunk's
     * vector (up to 256 chunks), far past Kafka's 1 MB default.
     */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private final KafkaSettings settings;

    public TopicProvisioner(KafkaSettings settings) {
        this.settings = settings;
    }

    public void ensure(Collection<String> topics) {
        ensure(topics, null);
    }

    /**
     * Creates the missing topics with {@code partitions} partitions (null: the suite's default).
     * Existing topics keep theirs: more partitions would move keys to other partitions and break
     * each row's order, so a task's count is fixed when its topics are first created.
     */
    public void ensure(Collection<String> topics, Integer partitions) {
        int count = partitions == null ? settings.partitions() : partitions;
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, count, settings.replicationFactor())
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES))))
                    .toList();
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
            throw unavailable("create the task topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the topics that exist of those named; returns the deleted ones. */
    public List<String> delete(Collection<String> topics) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<String> present = topics.stream().filter(existing::contains).toList();
            if (!present.isEmpty()) {
                admin.deleteTopics(present).all().get(30, TimeUnit.SECONDS);
            }
            return present;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unavailable("delete the task topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes a task's consumer group (its committed offsets); returns whether it existed. */
    public boolean deleteConsumerGroup(String groupId) {
        try (Admin admin = admin()) {
            admin.deleteConsumerGroups(List.of(groupId)).all().get(15, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw unavailable("delete consumer group " + groupId, e);
        } catch (TimeoutException | KafkaException e) {
            throw unavailable("delete consumer group " + groupId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Admin admin() {
        return Admin.create(settings.client(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000)));
    }

    private DataRsyncException unavailable(String what, Exception e) {
        return new DataRsyncException(ErrorCode.TARGET_UNAVAILABLE, "Kafka at " + settings.bootstrapServers()
                + " did not " + what + ": " + e.getMessage(), Map.of(), e);
    }
}
