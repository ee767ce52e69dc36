package com.datarsync.deploy.suite;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a task's topics in Kafka hold, read from their beginning: the evidence the suite tests check. */
final class TaskTopics {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskTopics() {
    }

    /** Counts the change events of each operation in a task's change topic, from its beginning. */
    static Map<String, Integer> operationsInChangeTopic(String taskId) {
        Map<String, Integer> ops = new HashMap<>();
        forEachChange(taskId, (record, op) -> ops.merge(op, 1, Integer::sum));
        return ops;
    }

    /**
     * The snapshot reads ({@code op r}) in a task's change topic, from its beginning to its end:
     * {@code [before, atOrAfter]} the given time, by each record's Kafka timestamp (the time the
     * listener published it).
     */
    static long[] snapshotReadsAround(String taskId, long epochMs) {
        long[] counts = new long[2];
        forEachChange(taskId, (record, op) -> {
            if ("r".equals(op)) {
                counts[record.timestamp() < epochMs ? 0 : 1]++;
            }
        });
        return counts;
    }

    /** Every record of a task's change topic, from its beginning to its end now, with its op. */
    private static void forEachChange(String taskId,
            java.util.function.BiConsumer<ConsumerRecord<String, byte[]>, String> each) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(LocalInfra.get().kafkaClient(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = fromBeginning(consumer, "rsync.changes." + taskId);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    try {
                        each.accept(r, JSON.readTree(r.value()).get("op").asText());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    /**
     * The dead letters in a task's topic, read from its beginning to its end; when fewer than
     * {@code expected} are there, reads again until they are or 30 s passed.
     */
    static List<JsonNode> deadLetters(String taskId, int expected) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(LocalInfra.get().kafkaClient(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = fromBeginning(consumer, "rsync.dlq." + taskId);
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) {
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                        out.add(JSON.readTree(r.value()));
                    }
                }
                if (out.size() >= expected || System.currentTimeMillis() > deadline) {
                    break;
                }
                Thread.sleep(500);
            }
        }
        return out;
    }

    /** Assigns every partition of the topic to the consumer, each at its beginning. */
    private static List<TopicPartition> fromBeginning(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }
}
