package com.datarsync.stage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.stage.TaskState;
import com.datarsync.stage.TaskProgress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * The consumer loop every stage runs, driven by Kafka's own {@link MockConsumer} (no broker):
 * commit only after the handler returned, rewind and hand the same records over again after a
 * retriable failure, fail the task on a permanent one or on records the topic no longer holds,
 * keep each partition's order, and react to a rebalance mid-batch.
 */
class CommittingBatchConsumerTest {

    private static final String TOPIC = "rsync.vectors.unit";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final LogBackedConsumer kafka = new LogBackedConsumer();
    private final TaskProgress progress = new TaskProgress("unit", "milvus-sync", 1);
    private CommittingBatchConsumer loop;

    /** A factory that hands out the mock, as spring-kafka's hands out a real consumer. */
    private final ConsumerFactory<String, byte[]> factory = new ConsumerFactory<>() {
        @Override
        public Consumer<String, byte[]> createConsumer(String groupId, String clientIdPrefix, String clientIdSuffix,
                Properties properties) {
            assertThat(properties.getProperty("enable.auto.commit")).isEqualTo("false");
            assertThat(properties.getProperty("auto.offset.reset")).isEqualTo("none");
            return kafka;
        }

        @Override
        public boolean isAutoCommit() {
            return false;
        }
    };

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop();
        }
    }

    private void start(CommittingBatchConsumer.BatchHandler handler, TopicPartition... assigned) {
        kafka.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null),
                new PartitionInfo(TOPIC, 1, null, null, null)));
        kafka.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        kafka.schedulePollTask(() -> kafka.rebalance(List.of(assigned)));
        loop = new CommittingBatchConsumer(factory, "unit-group", TOPIC, 10, Duration.ofMillis(50), handler, progress);
        loop.start();
    }

    private void add(TopicPartition partition, long offset, String key) {
        kafka.schedulePollTask(() -> kafka.addRecord(new ConsumerRecord<>(TOPIC, partition.partition(), offset, key,
                ("v" + offset).getBytes(StandardCharsets.UTF_8))));
    }

    private Long committed(TopicPartition partition) {
        OffsetAndMetadata offset = kafka.committed(java.util.Set.of(partition)).get(partition);
        return offset == null ? null : offset.offset();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited for: " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aBatchIsCommittedOnlyAfterItsHandlerReturned() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> handled = new CopyOnWriteArrayList<>();
        start(batch -> {
            inHandler.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            batch.forEach(r -> handled.add(r.offset()));
        }, P0);
        for (long o = 0; o < 3; o++) {
            add(P0, o, "k" + o);
        }
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(committed(P0)).as("nothing committed while the handler's output is not acknowledged").isNull();
        release.countDown();
        await("the commit after the handler", () -> Long.valueOf(3).equals(committed(P0)));
        assertThat(handled).containsExactly(0L, 1L, 2L);
        assertThat(progress.counter("consumedRecords")).isEqualTo(3);
        assertThat(progress.state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void aRetriableFailureRewindsAndHandsTheSameRecordsOverAgain() throws Exception {
        List<List<Long>> calls = new CopyOnWriteArrayList<>();
        List<TaskState> statesSeen = new CopyOnWriteArrayList<>();
        start(batch -> {
            calls.add(batch.stream().map(ConsumerRecord::offset).toList());
            statesSeen.add(progress.state());
            if (calls.size() == 1) {
                throw new DataRsyncException(ErrorCode.TARGET_UNAVAILABLE, "Milvus is away", Map.of(), null);
            }
        }, P0);
        add(P0, 0, "a");
        add(P0, 1, "b");
        await("the second hand-over", () -> calls.size() >= 2);
        assertThat(calls.get(1)).as("the same records again, from the last commit").isEqualTo(calls.get(0));
        assertThat(statesSeen.get(1)).as("RETRYING while the batch waits").isEqualTo(TaskState.RETRYING);
        await("the commit after the retry", () -> Long.valueOf(2).equals(committed(P0)));
        assertThat(progress.counter("retries")).isEqualTo(1);
        await("RUNNING again", () -> progress.state() == TaskState.RUNNING);
    }

    @Test
    void aPermanentFailureFailsTheTaskWithItsCodeAndCommitsNothing() throws Exception {
        start(batch -> {
            throw new DataRsyncException(ErrorCode.TARGET_SCHEMA_MISMATCH, "collection of another schema", Map.of(), null);
        }, P0);
        add(P0, 0, "a");
        await("FAILED", () -> progress.state() == TaskState.FAILED);
        assertThat(progress.snapshot().errorCode()).isEqualTo("DRS-4091");
        assertThat(progress.snapshot().message()).contains("another schema");
        await("the consumer closed", kafka::closed);
        assertThat(kafka.commits).as("commits").isEmpty();
    }

    @Test
    void recordsTheTopicNoLongerHoldsFailTheTaskAsPositionLost() throws Exception {
        start(batch -> { }, P0);
        kafka.schedulePollTask(() -> kafka.setPollException(new OffsetOutOfRangeException("gone", Map.of(P0, 5L))));
        await("FAILED", () -> progress.state() == TaskState.FAILED);
        assertThat(progress.snapshot().errorCode()).isEqualTo(ErrorCode.POSITION_LOST.code());
        assertThat(progress.snapshot().message()).contains("full sync");
    }

    @Test
    void eachPartitionIsHandedOverInItsOrder() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        start(batch -> batch.forEach(r -> keys.add(r.partition() + ":" + r.key() + "@" + r.offset())), P0, P1);
        List<String> expected0 = new ArrayList<>();
        List<String> expected1 = new ArrayList<>();
        for (long o = 0; o < 25; o++) {
            add(P0, o, "same");
            add(P1, o, "other");
            expected0.add("0:same@" + o);
            expected1.add("1:other@" + o);
        }
        await("every record", () -> keys.size() == 50);
        assertThat(keys.stream().filter(k -> k.startsWith("0:")).toList()).containsExactlyElementsOf(expected0);
        assertThat(keys.stream().filter(k -> k.startsWith("1:")).toList()).containsExactlyElementsOf(expected1);
        await("both committed", () -> Long.valueOf(25).equals(committed(P0)) && Long.valueOf(25).equals(committed(P1)));
    }

    @Test
    void aRebalanceMidBatchTellsTheHandlerItsPartitionsAndSharesTheLimits() throws Exception {
        List<Collection<TopicPartition>> assignments = new CopyOnWriteArrayList<>();
        CountDownLatch firstBatch = new CountDownLatch(1);
        CommittingBatchConsumer.BatchHandler handler = new CommittingBatchConsumer.BatchHandler() {
            @Override
            public void handle(List<ConsumerRecord<String, byte[]>> batch) {
                if (firstBatch.getCount() > 0) {
                    // Another instance joins while this batch is in hand: it takes partition 1.
                    kafka.schedulePollTask(() -> kafka.rebalance(List.of(P0)));
                    firstBatch.countDown();
                }
            }

            @Override
            public void partitionsAssigned(Collection<TopicPartition> partitions) {
                assignments.add(List.copyOf(partitions));
            }
        };
        start(handler, P0, P1);
        add(P0, 0, "a");
        assertThat(firstBatch.await(10, TimeUnit.SECONDS)).isTrue();
        add(P0, 1, "b");
        await("the second assignment", () -> assignments.size() >= 2);
        assertThat(assignments.get(0)).containsExactlyInAnyOrder(P0, P1);
        assertThat(assignments.get(assignments.size() - 1)).containsExactly(P0);
        await("half the partitions, half the limits", () -> progress.counter("limitSharePercent") == 50);
        await("the batch before the rebalance committed", () -> Long.valueOf(2).equals(committed(P0)));
    }

    /**
     * MockConsumer forgets a record once polled; a real consumer that seeks back reads it again
     * from the log. This one keeps what it delivered and hands it over again after a seek, and
     * notes every commit.
     */
    static final class LogBackedConsumer extends MockConsumer<String, byte[]> {

        private final Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> log = new java.util.HashMap<>();
        private final Map<TopicPartition, Long> delivered = new java.util.HashMap<>();
        final List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();

        LogBackedConsumer() {
            super(OffsetResetStrategy.NONE);
        }

        @Override
        public synchronized void addRecord(ConsumerRecord<String, byte[]> record) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            List<ConsumerRecord<String, byte[]>> kept = log.computeIfAbsent(partition, p -> new ArrayList<>());
            if (kept.stream().noneMatch(r -> r.offset() == record.offset())) {
                kept.add(record);
            }
            super.addRecord(record);
        }

        @Override
        public synchronized org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> poll(Duration timeout) {
            org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> records = super.poll(timeout);
            records.forEach(r -> delivered.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max));
            return records;
        }

        @Override
        public synchronized void seek(TopicPartition partition, OffsetAndMetadata offset) {
            super.seek(partition, offset);
            redeliverFrom(partition, offset.offset());
        }

        @Override
        public synchronized void seekToBeginning(Collection<TopicPartition> partitions) {
            super.seekToBeginning(partitions);
            partitions.forEach(p -> redeliverFrom(p, 0));
        }

        private void redeliverFrom(TopicPartition partition, long from) {
            long upTo = delivered.getOrDefault(partition, -1L);
            log.getOrDefault(partition, List.of()).stream().filter(r -> r.offset() >= from && r.offset() <= upTo)
                    .toList().forEach(super::addRecord);
            delivered.remove(partition);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            commits.add(Map.copyOf(offsets));
            super.commitSync(offsets);
        }
    }
}
