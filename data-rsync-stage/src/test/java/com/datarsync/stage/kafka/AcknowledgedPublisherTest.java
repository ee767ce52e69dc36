package com.datarsync.stage.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.stage.TaskState;
import com.datarsync.stage.TaskProgress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The publisher every stage writes through, on Kafka's own {@link MockProducer}: it returns only
 * once Kafka acknowledged every record (the point after which a stage may commit its input), turns
 * a refused send into a retriable error, and shows RETRYING while acknowledgements keep it waiting.
 */
class AcknowledgedPublisherTest {

    private final MockProducer<String, byte[]> kafka = new MockProducer<>(false, new StringSerializer(),
            new ByteArraySerializer());
    private final AcknowledgedPublisher publisher = new AcknowledgedPublisher(() -> kafka);
    private final TaskProgress progress = new TaskProgress("unit", "data-process", 1);

    private static List<ProducerRecord<String, byte[]>> records(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> new ProducerRecord<>("rsync.vectors.unit",
                "k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void returnsOnlyOnceKafkaAcknowledgedEveryRecordInOrder() throws Exception {
        CompletableFuture<Void> publishing = publishing(3);
        while (kafka.history().size() < 3) {
            Thread.sleep(5);
        }
        assertThat(kafka.completeNext()).isTrue();
        assertThat(kafka.completeNext()).isTrue();
        Thread.sleep(50);
        assertThat(publishing).as("two of three acknowledged").isNotDone();
        assertThat(kafka.completeNext()).isTrue();
        publishing.get(5, TimeUnit.SECONDS);
        assertThat(kafka.history()).extracting(ProducerRecord::key).containsExactly("k0", "k1", "k2");
    }

    @Test
    void aRecordKafkaRefusedIsARetriableErrorOfTheTarget() throws Exception {
        CompletableFuture<Void> publishing = publishing(2);
        while (kafka.history().size() < 2) {
            Thread.sleep(5);
        }
        kafka.completeNext();
        kafka.errorNext(new NotLeaderOrFollowerException("the leader moved"));
        assertThatThrownBy(() -> publishing.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(DataRsyncException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TARGET_UNAVAILABLE);
                    assertThat(e.errorCode().retriable()).isTrue();
                    assertThat(e.getMessage()).contains("the leader moved");
                });
    }

    @Test
    void aSlowAcknowledgementShowsRetryingUntilItComes() throws Exception {
        progress.running();
        CompletableFuture<Void> publishing = publishing(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (progress.state() != TaskState.RETRYING && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(progress.state()).as("after %d s without an acknowledgement", AcknowledgedPublisher.PATIENCE.toSeconds())
                .isEqualTo(TaskState.RETRYING);
        assertThat(progress.snapshot().message()).contains("has not acknowledged");
        kafka.completeNext();
        publishing.get(5, TimeUnit.SECONDS);
        assertThat(progress.state()).isEqualTo(TaskState.RUNNING);
    }

    /** Publishes {@code count} records on another thread; done once publishAll returned. */
    private CompletableFuture<Void> publishing(int count) {
        return CompletableFuture.runAsync(() -> {
            try {
                publisher.publishAll(records(count), progress);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
