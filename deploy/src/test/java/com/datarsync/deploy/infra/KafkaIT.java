package com.datarsync.deploy.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.testsupport.LocalInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The local KRaft broker: a topic created, messages produced with acks=all and consumed in key
 * order, with the suite's SASL login; a client without it, or with a wrong password, is refused.
 */
class KafkaIT {

    private final LocalInfra infra = LocalInfra.get();

    @Test
    void producesAndConsumesKeyedMessagesInOrder() throws Exception {
        String topic = "datarsync.it.kafka." + UUID.randomUUID();
        try (Admin admin = Admin.create(infra.kafkaClient(Map.of()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(infra.kafkaClient(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 30; i++) {
                // Same key, same partition: per-key order is what the data path relies on.
                producer.send(new ProducerRecord<>(topic, "row-" + (i % 3), "v" + i)).get();
            }
        }
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(infra.kafkaClient(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (seen.size() < 30 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
            }
        }
        assertThat(seen).hasSize(30);
        for (String key : List.of("row-0", "row-1", "row-2")) {
            List<Integer> values = seen.stream().filter(r -> r.key().equals(key))
                    .map(r -> Integer.parseInt(r.value().substring(1))).toList();
            assertThat(values).hasSize(10).isSorted();
        }
        try (Admin admin = Admin.create(infra.kafkaClient(Map.of()))) {
            admin.deleteTopics(List.of(topic)).all().get();
        }
    }

    @Test
    void aClientWithoutTheSuitesLoginIsRefused() {
        Map<String, Object> quick = Map.of("default.api.timeout.ms", 5_000, "request.timeout.ms", 4_000);
        Map<String, Object> wrongPassword = new java.util.HashMap<>(infra.kafkaClient(quick));
        wrongPassword.put("sasl.jaas.config", LocalInfra.kafkaLogin(infra.value("DATARSYNC_KAFKA_USERNAME"), "not-it"));
        try (Admin admin = Admin.create(wrongPassword)) {
            assertThatThrownBy(() -> admin.listTopics().names().get()).hasRootCauseInstanceOf(
                    org.apache.kafka.common.errors.SaslAuthenticationException.class);
        }
        Map<String, Object> noLogin = new java.util.HashMap<>(quick);
        noLogin.put("bootstrap.servers", infra.kafkaBootstrap());
        try (Admin admin = Admin.create(noLogin)) {
            // The listener speaks SASL only: a plain client never gets an answer.
            assertThatThrownBy(() -> admin.listTopics().names().get()).hasRootCauseInstanceOf(
                    org.apache.kafka.common.errors.TimeoutException.class);
        }
        try (Admin admin = Admin.create(infra.kafkaClient(quick))) {
            assertThatCode(() -> admin.listTopics().names().get()).doesNotThrowAnyException();
        }
    }
}
