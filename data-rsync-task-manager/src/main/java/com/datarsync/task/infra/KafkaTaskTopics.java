package com.datarsync.task.infra;

import com.datarsync.stage.kafka.KafkaSettings;
import com.datarsync.common.event.TopicNames;
import com.datarsync.stage.kafka.TopicProvisioner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

/** A task's Kafka topics as the task manager sees them: how far behind its consumers are, and removal. */
@Component
public class KafkaTaskTopics {

    private final KafkaSettings settings;
    private final TopicProvisioner provisioner;

    public KafkaTaskTopics(KafkaSettings settings) {
        this.settings = settings;
        this.provisioner = new TopicProvisioner(settings);
    }

    /**
     * Records written to the task's change and vector topics that data-process and milvus-sync
     * have not committed yet: what is in flight between the listener and Milvus. -1 when Kafka
     * does not answer.
     */
    public long backlog(String taskId) {
        try (Admin admin = Admin.create(settings.client(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)))) {
            return behind(admin, "datarsync-process-" + taskId, TopicNames.changes(taskId))
                    + behind(admin, "datarsync-milvus-" + taskId, TopicNames.vectors(taskId));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }
    }

    private static long behind(Admin admin, String group, String topic) throws Exception {
        if (!admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(topic)) {
            return 0;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        long total = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            total += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return total;
    }

    /**
     * Moves the consumers of data-process and milvus-sync to the current ends of the task's change
     * and vector topics, for a full sync: the new snapshot supersedes every record before it (and
     * a committed offset that retention deleted past would otherwise fail them again). The stages
     * must have let go of the task, as Kafka changes no offsets of a group with members.
     */
    public void skipToEnd(String taskId) {
        try (Admin admin = Admin.create(settings.client(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000)))) {
            skipToEnd(admin, "datarsync-process-" + taskId, TopicNames.changes(taskId));
            skipToEnd(admin, "datarsync-milvus-" + taskId, TopicNames.vectors(taskId));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new com.datarsync.common.error.DataRsyncException(com.datarsync.common.error.ErrorCode.TARGET_UNAVAILABLE,
                    "Kafka did not move the task's consumers to the topics' ends: " + e.getMessage(),
                    Map.of("taskId", taskId), e);
        }
    }

    private static void skipToEnd(Admin admin, String group, String topic) throws Exception {
        if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(topic)) {
            return;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, new OffsetAndMetadata(info.offset())));
        admin.alterConsumerGroupOffsets(group, ends).all().get(15, TimeUnit.SECONDS);
    }

    /** Deletes the task's change, vector and dead-letter topics; returns the ones that existed. */
    public List<String> delete(String taskId) {
        return provisioner.delete(List.of(TopicNames.changes(taskId), TopicNames.vectors(taskId),
                TopicNames.deadLetters(taskId)));
    }
}
