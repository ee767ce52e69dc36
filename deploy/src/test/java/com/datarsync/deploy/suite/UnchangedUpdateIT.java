package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.QueryReq;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * An UPDATE of 10,000 rows that touches only a column the task does not map causes no Milvus
 * write: shown in Milvus itself (every entity keeps the source commit time the product wrote into
 * {@code target.sourceTimeField} at the snapshot) and in Kafka (the change topic got the 10,000
 * updates, the vector topic not one upsert or delete for them), after both stages' consumer
 * groups have committed everything there was. A mapped change made after it does arrive.
 */
class UnchangedUpdateIT extends RunningSuite {

    private static final int ROWS = 10_000;

    @Test
    void anUpdateOfUnmappedColumnsOnlyWritesNothingToMilvus() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "unchanged_" + runId();
        String table = "unchanged_rows";
        NumericRows.create(source, table, ", note VARCHAR(40) DEFAULT 'n'", ROWS);
        String definition = NumericRows.definition(source, taskId, table, "\"sourceTimeField\": \"source_ts\",");
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect();
                Statement sql = db.createStatement();
                Admin kafka = Admin.create(LocalInfra.get().kafkaClient(Map.of()))) {
            try {
                client.startTask(definition);
                await("the snapshot in Milvus").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions().until(() -> client.count(taskId) == ROWS);
                drained(kafka, taskId);
                Map<String, Long> before = sourceTimes(client, taskId);
                assertThat(before).hasSize(ROWS);
                Map<TopicPartition, Long> changesBefore = ends(kafka, "rsync.changes." + taskId);
                Map<TopicPartition, Long> vectorsBefore = ends(kafka, "rsync.vectors." + taskId);

                assertThat(sql.executeUpdate("UPDATE " + table + " SET note = CONCAT('note ', id)")).isEqualTo(ROWS);
                sql.executeUpdate("UPDATE " + table + " SET a = -1 WHERE id = 1");
                await("the mapped change after it").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions().until(() -> ((Number) client.milvus.query(QueryReq.builder()
                                .collectionName(taskId).filter("pk == \"1\"").outputFields(List.of("a"))
                                .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults().get(0).getEntity()
                                .get("a")).longValue() == -1);
                drained(kafka, taskId);

                long changes = total(ends(kafka, "rsync.changes." + taskId)) - total(changesBefore);
                Map<String, Integer> written = rowOps(vectorsBefore, ends(kafka, "rsync.vectors." + taskId));
                Map<String, Long> after = sourceTimes(client, taskId);
                long restamped = before.entrySet().stream().filter(e -> !e.getValue().equals(after.get(e.getKey())))
                        .count();
                System.out.printf("UNCHANGED UPDATE: %d changes published by the listener, row records in the vector "
                        + "topic %s, entities with a new source time in Milvus %d of %d%n", changes, written, restamped,
                        ROWS);
                assertThat(changes).as("the listener published every update").isGreaterThanOrEqualTo(ROWS + 1);
                assertThat(written).as("only the mapped change reached the vector topic")
                        .isEqualTo(Map.of("UPSERT", 1));
                assertThat(restamped).as("entities Milvus holds from a later write").isEqualTo(1);
                assertThat(after.get("1")).isGreaterThan(before.get("1"));
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    /** Every row's source_ts as Milvus holds it now (Strong). */
    private static Map<String, Long> sourceTimes(DataPathClient client, String collection) {
        Map<String, Long> out = new HashMap<>();
        client.milvus.query(QueryReq.builder().collectionName(collection).filter("").limit(16_384)
                .outputFields(List.of("pk", "source_ts")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().forEach(r -> out.put((String) r.getEntity().get("pk"),
                        ((Number) r.getEntity().get("source_ts")).longValue()));
        return out;
    }

    /** Waits until data-process and milvus-sync have committed every record of their topics. */
    private static void drained(Admin kafka, String taskId) {
        await("both consumer groups at the end of their topics").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                        committedAtEnd(kafka, "datarsync-process-" + taskId, "rsync.changes." + taskId)
                                && committedAtEnd(kafka, "datarsync-milvus-" + taskId, "rsync.vectors." + taskId));
    }

    private static boolean committedAtEnd(Admin kafka, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        for (Map.Entry<TopicPartition, Long> end : ends(kafka, topic).entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            if (end.getValue() > 0 && (at == null || at.offset() < end.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Long> ends(Admin kafka, String topic) throws Exception {
        int partitions = kafka.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        kafka.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The row records (upserts, deletes) in the vector topic between two sets of end offsets, by operation. */
    private static Map<String, Integer> rowOps(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to)
            throws Exception {
        Map<String, Integer> ops = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(LocalInfra.get().kafkaClient(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (r.offset() >= to.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    JsonNode record = JSON.readTree(r.value());
                    String op = record.path("op").asText();
                    if (op.equals("UPSERT") || op.equals("DELETE")) {
                        ops.merge(op, 1, Integer::sum);
                    }
                }
            }
        }
        return ops;
    }
}
