package com.datarsync.deploy.suite;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/** A task topic's end offsets, read from Kafka, and Kafka's retention made to happen now. */
final class TopicOffsets {

    private TopicOffsets() {
    }

    static Map<TopicPartition, Long> endOffsets(Admin kafka, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        kafka.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        kafka.listOffsets(latest).all().get(15, TimeUnit.SECONDS).forEach((p, info) -> out.put(p, info.offset()));
        return out;
    }

    /** Records ever written to the topic, over all its partitions. */
    static long total(Admin kafka, String topic) throws Exception {
        return endOffsets(kafka, topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Deletes every record up to the end of each partition, as retention would. */
    static void deleteEverything(Admin kafka, String topic) throws Exception {
        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        endOffsets(kafka, topic).forEach((p, end) -> delete.put(p, RecordsToDelete.beforeOffset(end)));
        kafka.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
    }
}
