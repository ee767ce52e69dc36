package com.datarsync.stage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.stage.TaskProgress;
import com.datarsync.common.testsupport.LocalInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * How batches close, against the real Kafka: a backlog is handed over in full batches, and a
 * trickle is handed over as it comes instead of waiting out the batch window (here an hour, so a
 * consumer that waited it out would never hand the trickle over within the test).
 */
class CommittingBatchConsumerIT {

    private static final LocalInfra INFRA = LocalInfra.get();
    private static final KafkaSettings SETTINGS = new KafkaSettings(INFRA.kafkaBootstrap(), 1, (short) 1,
            INFRA.value("DATARSYNC_KAFKA_SECURITY_PROTOCOL"), INFRA.value("DATARSYNC_KAFKA_SASL_MECHANISM"),
            INFRA.value("DATARSYNC_KAFKA_USERNAME"), INFRA.value("DATARSYNC_KAFKA_PASSWORD"));

    @Test
    void backlogComesInFullBatchesAndATrickleWithoutWaitingOutTheWindow() throws Exception {
        String topic = "drs-it-batches-" + System.nanoTime();
        try (Admin admin = Admin.create(INFRA.kafkaClient(Map.of()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        List<String> values = Collections.synchronizedList(new ArrayList<>());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(INFRA.kafkaClient(Map.of()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 1_000; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            CommittingBatchConsumer consumer = new CommittingBatchConsumer(
                    CommittingBatchConsumer.consumerFactory(SETTINGS),
                    "drs-it-batches-" + System.nanoTime(), topic, 256, Duration.ofHours(1), batch -> {
                        sizes.add(batch.size());
                        batch.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
                    }, new TaskProgress("it-batches", "test", 1));
            consumer.start();
            try {
                waitFor(values, 1_000);
                // The backlog: full batches but the last; what is in hand once Kafka holds no more.
                assertThat(sizes).containsExactly(256, 256, 256, 232);
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(topic, "t" + i, ("t" + i).getBytes(StandardCharsets.UTF_8)));
                    producer.flush();
                    waitFor(values, 1_001 + i);
                }
                assertThat(values.subList(1_000, 1_003)).containsExactly("t0", "t1", "t2");
                for (int i = 0; i < 1_000; i++) {
                    assertThat(values.get(i)).isEqualTo("v" + i);
                }
            } finally {
                consumer.stop();
            }
        }
    }

    private static void waitFor(List<String> values, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (values.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(values).hasSize(count);
    }
}
