package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An update that leaves the embedded columns alone reaches Milvus without costing an embedding. */
class UnchangedTextIT extends RunningSuite {

    @Test
    void updatesToColumnsOutsideTheTemplateEmbedNothing() throws Exception {
        MariaDbE2eTable source = new MariaDbE2eTable();
        String taskId = "skip_" + runId();
        // The task id in the texts keeps them out of the vector cache of earlier runs.
        source.create("skip_docs",
                "CREATE TABLE skip_docs (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, qty INT) CHARACTER SET utf8mb4",
                "INSERT INTO skip_docs VALUES (1, 'alpha " + taskId + "', 'one', 1), (2, 'beta " + taskId
                        + "', 'two', 2), (3, 'gamma " + taskId + "', 'three', 3)");
        String definition = source.definitionFor(taskId, "skip_docs", List.of("title", "content", "qty"));
        try (DataPathClient client = new DataPathClient(); Connection db = source.connect(); Statement s = db.createStatement()) {
            try {
                client.startTask(definition);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> client.count(taskId) == 3);
                long embeddedAfterSnapshot = client.processCounter(taskId, "textsEmbedded");
                assertThat(embeddedAfterSnapshot).isEqualTo(3);

                s.execute("UPDATE skip_docs SET qty = qty * 100");
                await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                        client.entities(taskId, List.of("qty")).values().stream()
                                .allMatch(e -> ((Number) e.get("qty")).longValue() >= 100));

                assertThat(client.processCounter(taskId, "textsEmbedded")).as("no new embedding").isEqualTo(embeddedAfterSnapshot);
                assertThat(client.processCounter(taskId, "cacheHits")).isGreaterThanOrEqualTo(3);
                // The same, as Prometheus scrapes it from data-process.
                assertThat(DataPathClient.processMetric("datarsync_embedding_texts_total", taskId)).isEqualTo(3.0);
                assertThat(DataPathClient.processMetric("datarsync_embedding_cache_hits_total", taskId)).isGreaterThanOrEqualTo(3.0);
                assertThat(DataPathClient.processMetric("datarsync_embedding_cache_misses_total", taskId)).isEqualTo(3.0);

                s.execute("UPDATE skip_docs SET body = 'changed' WHERE id = 2");
                await().atMost(Duration.ofMinutes(1)).until(() -> client.processCounter(taskId, "textsEmbedded") == 4);
            } finally {
                client.deleteTask(taskId, true);
            }
        }
    }
}
