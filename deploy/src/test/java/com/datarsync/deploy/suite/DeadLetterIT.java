package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** A row that cannot be written to its target field goes to the dead-letter topic with the reason; the rest flow on. */
class DeadLetterIT extends RunningSuite {

    @Test
    void aRowThatDoesNotFitGoesToTheDeadLetterTopicAndTheOthersArrive() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "dlq_" + runId();
        source.create("dlq_docs",
                "CREATE TABLE dlq_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT) CHARACTER SET utf8mb4",
                "INSERT INTO dlq_docs VALUES (1, 'short', 'a'), (2, 'a title far longer than sixteen bytes', 'b'), "
                        + "(3, '短标题', 'c')");
        String definition = source.definitionFor(taskId, "dlq_docs", List.of("title", "content"))
                .replace("{\"name\": \"title\", \"type\": \"VARCHAR\", \"maxLength\": 1024}",
                        "{\"name\": \"title\", \"type\": \"VARCHAR\", \"maxLength\": 16}");
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.startTask(definition);

                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 2);
                assertThat(client.entities(taskId, List.of("title")).keySet()).containsExactlyInAnyOrder("1", "3");

                List<JsonNode> letters = deadLetters(taskId);
                assertThat(letters).singleElement().satisfies(letter -> {
                    assertThat(letter.get("stage").asText()).isEqualTo("data-process");
                    assertThat(letter.get("code").asText()).isEqualTo("DRS-4220");
                    assertThat(letter.get("reason").asText()).contains("exceeds the field's maxLength 16");
                    assertThat(letter.get("payload").asText()).contains("a title far longer than sixteen bytes");
                });
                assertThat(client.status("data-process", taskId).get("counters").get("deadLetters").asLong()).isEqualTo(1);
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }

    private static List<JsonNode> deadLetters(String taskId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.get().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + taskId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("rsync.dlq." + taskId));
            long deadline = System.currentTimeMillis() + 20_000;
            while (out.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    out.add(JSON.readTree(r.value()));
                }
            }
            // Anything more that arrived with it.
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
                out.add(JSON.readTree(r.value()));
            }
        }
        return out;
    }
}
