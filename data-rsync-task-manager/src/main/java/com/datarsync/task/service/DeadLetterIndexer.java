package com.datarsync.task.service;

import com.datarsync.stage.TaskProgress;
import com.datarsync.stage.kafka.CommittingBatchConsumer;
import com.datarsync.stage.kafka.KafkaSettings;
import com.datarsync.task.infra.DeadLetterStore;
import com.datarsync.task.infra.SyncTaskRepository;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Copies every task's dead letters from its Kafka topic ({@code rsync.dlq.<task>}, all of them by
 * one pattern subscription) into the {@link DeadLetterStore}, on the stages' consumer loop
 * ({@link CommittingBatchConsumer}): offsets are committed only after Redis holds the letters, so
 * while Redis is down nothing is committed and the same letters are stored once it is back.
 * Task-manager instances share the work through one consumer group.
 */
@Component
public class DeadLetterIndexer implements SmartLifecycle {

    private static final Pattern TOPICS = Pattern.compile("rsync\\.dlq\\..+");
    private static final String PREFIX = "rsync.dlq.";
    private static final String GROUP = "datarsync-dead-letter-store";

    private final ConsumerFactory<String, byte[]> consumers;
    private final DeadLetterStore store;
    private final SyncTaskRepository tasks;
    private volatile CommittingBatchConsumer loop;

    public DeadLetterIndexer(KafkaSettings kafka, DeadLetterStore store, SyncTaskRepository tasks) {
        this.consumers = CommittingBatchConsumer.consumerFactory(kafka);
        this.store = store;
        this.tasks = tasks;
    }

    @Override
    public void start() {
        // Letters the topics' retention already deleted are gone: a group past them goes on from the oldest kept.
        Properties overrides = new Properties();
        overrides.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        loop = new CommittingBatchConsumer(consumers, GROUP, TOPICS, overrides, 500, Duration.ofMillis(200),
                this::store, new TaskProgress("dead-letters", "task-manager", 0));
        loop.start();
    }

    /** Stores a batch of letters; a failure (Redis or the metadata database away) fails the batch, which is read again. */
    private void store(List<ConsumerRecord<String, byte[]>> batch) {
        Map<String, Boolean> known = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            String taskId = r.topic().substring(PREFIX.length());
            // A deleted task's letters still in flight are not stored again.
            if (known.computeIfAbsent(taskId, tasks::existsById)) {
                store.add(taskId, r.partition() + "-" + r.offset(), r.value());
            }
        }
    }

    @Override
    public void stop() {
        CommittingBatchConsumer running = loop;
        loop = null;
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
