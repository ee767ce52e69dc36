package com.datarsync.task.service;

import com.datarsync.stage.kafka.KafkaSettings;
import com.datarsync.task.infra.DeadLetterStore;
import com.datarsync.task.infra.SyncTaskRepository;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Copies every task's dead letters from its Kafka topic ({@code rsync.dlq.<task>}, all of them by
 * one pattern subscription) into the {@link DeadLetterStore}, committing offsets only after
 * Redis holds them: while Redis is down nothing is committed and the same letters are stored
 * once it is back. Task-manager instances share the work through one consumer group.
 */
@Component
public class DeadLetterIndexer implements SmartLifecycle, Runnable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterIndexer.class);
    private static final Pattern TOPICS = Pattern.compile("rsync\\.dlq\\..+");
    private static final String PREFIX = "rsync.dlq.";

    private final KafkaSettings kafka;
    private final DeadLetterStore store;
    private final SyncTaskRepository tasks;
    private volatile boolean running;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public DeadLetterIndexer(KafkaSettings kafka, DeadLetterStore store, SyncTaskRepository tasks) {
        this.kafka = kafka;
        this.store = store;
        this.tasks = tasks;
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "datarsync-dead-letter-store",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // A new task's dead-letter topic is found within seconds, not Kafka's default 5 minutes.
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500),
                new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this, "dead-letter-indexer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        long backoffMs = 500;
        try {
            consumer.subscribe(TOPICS);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    Map<String, Boolean> known = new HashMap<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        String taskId = r.topic().substring(PREFIX.length());
                        // A deleted task's letters still in flight are not stored again.
                        if (known.computeIfAbsent(taskId, tasks::existsById)) {
                            store.add(taskId, r.partition() + "-" + r.offset(), r.value());
                        }
                    }
                    consumer.commitSync();
                    backoffMs = 500;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.warn("Dead letters not stored, retrying in {} ms: {}", backoffMs, e.getMessage());
                    rewind();
                    Thread.sleep(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 10_000);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Back to the last committed offsets, so letters not stored are read again; tried until it
     * works (Kafka may be the one away), since polling on would skip them.
     */
    private void rewind() throws InterruptedException {
        while (running) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
                for (TopicPartition partition : consumer.assignment()) {
                    OffsetAndMetadata offset = committed.get(partition);
                    if (offset == null) {
                        consumer.seekToBeginning(java.util.List.of(partition));
                    } else {
                        consumer.seek(partition, offset);
                    }
                }
                return;
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("Rewinding the dead-letter consumer failed, trying again: {}", e.getMessage());
                Thread.sleep(2_000);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
