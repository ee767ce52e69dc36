package com.datarsync.stage.kafka;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.stage.AbstractTaskStage;
import com.datarsync.stage.TaskProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one task topic on its own thread, hands records over in batches (closed by a size or a
 * time threshold, or early once the consumer has read everything the topic holds) and commits the batch's offsets only after the handler returned, that is after
 * the handler's own output was acknowledged. When the handler fails, nothing is committed: the
 * consumer rewinds to the last committed offsets and tries again after a back-off, so a record is
 * never lost (it may be handled twice, which the idempotent end of the pipeline absorbs).
 */
public final class CommittingBatchConsumer implements Runnable, AbstractTaskStage.Runner {

    private static final Logger log = LoggerFactory.getLogger(CommittingBatchConsumer.class);

    /** What a stage does with one batch; it must return only once its output is durable. */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(List<ConsumerRecord<String, byte[]>> batch) throws Exception;

        /**
         * This consumer now reads these partitions (another instance of the stage joined or left
         * the group): what a handler keeps per partition from shared state must be read again.
         * Called on the consumer's thread, between batches.
         */
        default void partitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }

    private final Consumer<String, byte[]> consumer;
    /** The one topic read, or (when {@link #pattern} is set) a description of the topics. */
    private final String topic;
    /** Every topic matching it is read (the dead letters of every task); null for one topic. */
    private final Pattern pattern;
    private final int maxBatch;
    private final Duration maxWait;
    private final BatchHandler handler;
    private final TaskProgress progress;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param consumers makes the consumer (spring-kafka's factory over the stage's Kafka settings;
     *                  a test's factory hands out a {@code MockConsumer})
     */
    public CommittingBatchConsumer(ConsumerFactory<String, byte[]> consumers, String groupId, String topic, int maxBatch,
            Duration maxWait, BatchHandler handler, TaskProgress progress) {
        this(consumers, groupId, topic, null, new Properties(), maxBatch, maxWait, handler, progress);
    }

    /**
     * Reads every topic matching {@code topics}, new ones found within seconds; the limits are not
     * shared out. {@code overrides} change the consumer's settings (e.g. where a group without a
     * position, or past the topic's retention, starts).
     */
    public CommittingBatchConsumer(ConsumerFactory<String, byte[]> consumers, String groupId, Pattern topics,
            Properties overrides, int maxBatch, Duration maxWait, BatchHandler handler, TaskProgress progress) {
        this(consumers, groupId, topics.pattern(), topics, overrides, maxBatch, maxWait, handler, progress);
    }

    private CommittingBatchConsumer(ConsumerFactory<String, byte[]> consumers, String groupId, String topic,
            Pattern pattern, Properties overrides, int maxBatch, Duration maxWait, BatchHandler handler,
            TaskProgress progress) {
        Properties settings = consumerSettings(maxBatch);
        if (pattern != null) {
            // A new topic that matches is found within seconds, not Kafka's default 5 minutes.
            settings.setProperty(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        }
        settings.putAll(overrides);
        this.consumer = consumers.createConsumer(groupId, groupId, null, settings);
        this.topic = topic;
        this.pattern = pattern;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.handler = handler;
        this.progress = progress;
        this.thread = new Thread(this, groupId);
    }

    /** The stages' consumer factory: the brokers and the record types; each consumer adds {@link #consumerSettings}. */
    public static ConsumerFactory<String, byte[]> consumerFactory(KafkaSettings settings) {
        return new DefaultKafkaConsumerFactory<>(settings.client(Map.of()), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** What every stage's consumer overrides of the factory's settings (values as text, as Properties wants). */
    static Properties consumerSettings(int maxBatch) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Never skip silently: a new group starts at the beginning (nextBatch), and a committed
        // offset the topic's retention already deleted fails the task (POSITION_LOST).
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxBatch));
        // A batch may take long (a snapshot's sweep reads the whole collection, a remote model may
        // be slow): past this the consumer leaves its group and the batch is done again. A crashed
        // consumer is still noticed by its missed heartbeats.
        p.setProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString(20 * 60_000));
        return p;
    }

    /**
     * Instances of a stage share the task's partitions, so each holds the task's rate limits times
     * its share of them (together they hold the limits); the status shows the share in percent.
     */
    private void shareLimits(Set<TopicPartition> mine) {
        if (mine.isEmpty() || pattern != null) {
            return; // no work here until the next assignment: nothing to pace
        }
        int all = consumer.partitionsFor(topic).size();
        double share = all == 0 ? 1 : Math.min(1, (double) mine.size() / all);
        progress.limits().share(progress.taskId(), share);
        progress.set("limitSharePercent", Math.round(share * 100));
    }

    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        long backoffMs = 500;
        // Every line this thread logs names its task (a "task" field in the JSON), for the log query.
        org.slf4j.MDC.put("task", progress.taskId());
        try {
            ConsumerRebalanceListener rebalances = new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Nothing to hand over: a batch is committed before the next poll, and what is
                    // not committed is read again by the partition's next owner.
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    Set<TopicPartition> mine = consumer.assignment();
                    shareLimits(mine);
                    handler.partitionsAssigned(mine);
                }
            };
            if (pattern != null) {
                consumer.subscribe(pattern, rebalances);
            } else {
                consumer.subscribe(List.of(topic), rebalances);
            }
            progress.running();
            while (running) {
                List<ConsumerRecord<String, byte[]>> batch = nextBatch();
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    long batchStarted = System.nanoTime();
                    handler.handle(batch);
                    consumer.commitSync(nextOffsets(batch));
                    progress.metrics().batch(batch.size(), System.nanoTime() - batchStarted);
                    progress.add("consumedRecords", batch.size());
                    progress.add("batches", 1);
                    progress.recovered();
                    backoffMs = 500;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (DataRsyncException e) {
                    if (!e.errorCode().retriable()) {
                        // Retrying cannot help (a refused API key, a model of another dimension):
                        // fail the task with the reason and leave the batch uncommitted.
                        log.error("Task stopped on {}: {} {}", topic, e.errorCode().code(), e.getMessage());
                        progress.failed(e.errorCode(), e.getMessage());
                        return;
                    }
                    backoffMs = retryLater(batch, e, backoffMs);
                } catch (Exception e) {
                    backoffMs = retryLater(batch, e, backoffMs);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (OffsetOutOfRangeException lost) {
            log.error("Consumer of {} stopped: records it had not read were deleted: {}", topic, lost.getMessage());
            progress.failed(ErrorCode.POSITION_LOST, "Records of " + topic + " this stage had not read were deleted by "
                    + "the topic's retention (" + lost.offsetOutOfRangePartitions() + " are before the oldest kept); "
                    + "run a full sync (POST /api/tasks/{id}/full-sync) to read the source again");
        } catch (RuntimeException e) {
            log.error("Consumer of {} stopped: {}", topic, e.toString());
            // A Kafka client error is worth another try by the task manager; anything else is a bug.
            progress.failed(e instanceof KafkaException ? ErrorCode.TARGET_UNAVAILABLE : ErrorCode.INTERNAL_ERROR,
                    "Consumer of " + topic + " stopped: " + firstLine(e.getMessage()));
        } finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    /** Not committed: rewind and retry the same records after a pause; returns the next pause. */
    private long retryLater(List<ConsumerRecord<String, byte[]>> batch, Exception e, long backoffMs)
            throws InterruptedException {
        log.warn("Batch of {} records from {} failed, retrying in {} ms: {}", batch.size(), topic, backoffMs,
                e.getMessage());
        progress.add("retries", 1);
        // Visible to the task manager, which shows the task RETRYING and bounds how long it may last.
        ErrorCode code = e instanceof DataRsyncException known ? known.errorCode() : ErrorCode.TARGET_UNAVAILABLE;
        progress.retrying(code, "Retrying a batch of " + batch.size() + " records from " + topic + ": "
                + firstLine(e.getMessage()));
        long pause = backoffMs;
        while (running) {
            try {
                rewind();
                break;
            } catch (KafkaException rewindFailure) {
                // Kafka itself is away: polling on from here would skip the uncommitted batch.
                progress.retrying(ErrorCode.TARGET_UNAVAILABLE, "Kafka does not answer: "
                        + firstLine(rewindFailure.getMessage()));
                TimeUnit.MILLISECONDS.sleep(pause);
                pause = Math.min(pause * 2, 10_000);
            }
        }
        TimeUnit.MILLISECONDS.sleep(backoffMs);
        return Math.min(backoffMs * 2, 10_000);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private List<ConsumerRecord<String, byte[]>> nextBatch() {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (running && batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            ConsumerRecords<String, byte[]> records;
            try {
                long slice = batch.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(200) : LINGER_NANOS;
                records = consumer.poll(Duration.ofNanos(Math.min(left, slice)));
            } catch (NoOffsetForPartitionException fresh) {
                // Nothing committed yet: this stage has read nothing of these partitions.
                consumer.seekToBeginning(fresh.partitions());
                continue;
            }
            records.forEach(batch::add);
            if (batch.isEmpty() && records.isEmpty()) {
                // Nothing waiting: start the time window at the first record, not before it.
                deadline = System.nanoTime() + maxWait.toNanos();
            } else if (records.isEmpty() && caughtUp()) {
                // A short poll found nothing more and Kafka holds nothing behind what is in hand:
                // waiting out the window would only add latency (a trickle of changes never fills
                // a batch), while under a backlog the window still fills batches.
                break;
            }
        }
        // What waits for this stage: the batch in hand and what the last fetch saw behind it.
        long behind = batch.size();
        for (TopicPartition partition : consumer.assignment()) {
            behind += consumer.currentLag(partition).orElse(0);
        }
        progress.metrics().backlog(behind);
        return batch;
    }

    /** How long a batch in hand waits for more records before it may close early. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Whether the last fetches reached the end of every assigned partition. */
    private boolean caughtUp() {
        for (TopicPartition partition : consumer.assignment()) {
            if (consumer.currentLag(partition).orElse(1) > 0) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    private void rewind() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset);
            }
        }
    }

    /** Lets the current batch finish and commit, then closes the consumer; waits for it. */
    @Override
    public void stop() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
