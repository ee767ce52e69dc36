package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
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
        String definition = source.definitionWithShortTitle(taskId, "dlq_docs", 16);
        try (DataPathClient client = new DataPathClient()) {
            try {
                client.startTask(definition);

                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 2);
                assertThat(client.entities(taskId, List.of("title")).keySet()).containsExactlyInAnyOrder("1", "3");

                List<JsonNode> letters = TaskTopics.deadLetters(taskId, 1);
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

    /**
     * Values the listener cannot carry (PostgreSQL's timestamptz 'infinity', a row larger than
     * Kafka takes) go to the dead letters with the reason; the task keeps running and every change
     * after them reaches Milvus.
     */
    @Test
    void poisonValuesAtTheListenerGoToTheDeadLettersAndTheChangesAfterThemArrive() throws Exception {
        PostgresE2eTable source = new PostgresE2eTable();
        String taskId = "poison_" + runId();
        source.create("poison_docs", "CREATE TABLE poison_docs (id INT PRIMARY KEY, title TEXT, body TEXT, "
                + "stamp TIMESTAMPTZ)", "ALTER TABLE poison_docs REPLICA IDENTITY FULL", "INSERT INTO poison_docs VALUES (1, 'one', 'a', '2026-11-25 10:00:00+00'), "
                + "(2, 'two', 'b', NULL)");
        String definition = source.definitionFor(taskId, "poison_docs", List.of("title", "content", "stamp"));
        try (DataPathClient client = new DataPathClient(); java.sql.Connection db = source.connect();
             java.sql.Statement sql = db.createStatement()) {
            try {
                client.startTask(definition);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 2);

                sql.execute("INSERT INTO poison_docs VALUES (3, 'three', 'c', 'infinity')");
                // 17 MiB of text: past the 16 MiB a task topic record may hold.
                sql.execute("INSERT INTO poison_docs VALUES (4, 'four', repeat('x', 17 * 1024 * 1024), NULL)");
                sql.execute("INSERT INTO poison_docs VALUES (5, 'five', 'e', '2026-11-25 11:00:00+00'), "
                        + "(6, 'six', 'f', NULL)");
                sql.execute("UPDATE poison_docs SET title = 'one, later' WHERE id = 1");

                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() ->
                        client.entities(taskId, List.of("title")).keySet().equals(java.util.Set.of("1", "2", "5", "6"))
                        && "one, later".equals(client.entities(taskId, List.of("title")).get("1").get("title")));
                assertThat(client.entities(taskId, List.of("stamp")).get("5").get("stamp"))
                        .isEqualTo("2026-11-25T11:00:00.000000Z");

                List<JsonNode> letters = TaskTopics.deadLetters(taskId, 2);
                assertThat(letters).hasSize(2).allSatisfy(letter -> {
                    assertThat(letter.get("stage").asText()).isEqualTo("log-listener");
                    assertThat(letter.get("code").asText()).isEqualTo("DRS-4220");
                });
                assertThat(letters).anySatisfy(letter -> {
                    assertThat(letter.get("key").asText()).isEqualTo("public.poison_docs/3");
                    assertThat(letter.get("reason").asText()).startsWith("column 'stamp' of public.poison_docs (after): "
                            + "value 'infinity'");
                });
                assertThat(letters).anySatisfy(letter -> {
                    assertThat(letter.get("key").asText()).isEqualTo("public.poison_docs/4");
                    assertThat(letter.get("reason").asText()).contains("over Kafka's limit of 16777216 bytes");
                    assertThat(letter.get("payload").asText()).hasSizeLessThanOrEqualTo(64 * 1024);
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(client.taskStatus(taskId)
                        .path("state").asText()));
                assertThat(client.status("log-listener", taskId).path("counters").path("deadLetters").asLong())
                        .isEqualTo(2);
            } finally {
                client.deleteTask(taskId, true);
                source.dropCaptureState(taskId);
            }
        }
    }
}
