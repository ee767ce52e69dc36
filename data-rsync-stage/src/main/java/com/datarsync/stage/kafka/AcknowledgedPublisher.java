package com.datarsync.stage.kafka;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.stage.TaskProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.springframework.kafka.core.ProducerFactory;

/**
 * An idempotent, acks=all producer whose {@link #publishAll} returns only when Kafka has
 * acknowledged every record: the point after which a stage may mark its input done.
 */
public class AcknowledgedPublisher implements AutoCloseable {

    /** How long a publish may wait for Kafka before the task shows RETRYING. */
    public static final Duration PATIENCE = Duration.ofSeconds(5);

    private final Producer<String, byte[]> producer;

    /** Publishes through a producer of {@code producers} (see {@link #producerSettings} for what the stages use). */
    public AcknowledgedPublisher(ProducerFactory<String, byte[]> producers) {
        this.producer = producers.createProducer();
    }

    /**
     * How the stages' producer is configured: idempotent and acks=all, so an acknowledged record
     * is durable and a retried send is not written twice.
     */
    public static Map<String, Object> producerSettings(KafkaSettings settings, String clientId) {
        return settings.client(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // A snapshot publishes thousands of records a second per partition: 256 KB batches
                // (16 KB by default) take a quarter of the requests and compress better.
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicProvisioner.MAX_RECORD_BYTES,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                // Without brokers, send() waits this long for metadata before it fails the batch.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.CLIENT_ID_CONFIG, clientId));
    }

    /** The topic's partition count (waits for its metadata at most the producer's max.block.ms). */
    public int partitionCount(String topic) {
        return producer.partitionsFor(topic).size();
    }

    /**
     * Sends every record, in order, and waits until Kafka acknowledged all of them (at most the
     * producer's delivery timeout). While Kafka keeps the stage waiting longer than
     * {@link #PATIENCE} the task's progress says RETRYING with the reason, so the task manager
     * shows why the task does not move; it returns to RUNNING once the records are acknowledged.
     */
    public void publishAll(List<ProducerRecord<String, byte[]>> records, TaskProgress progress)
            throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (ProducerRecord<String, byte[]> record : records) {
                acks.add(producer.send(record));
            }
        } catch (KafkaException e) {
            // send() itself gives up when Kafka cannot tell where the topic lives (max.block.ms).
            throw unavailable(e);
        }
        boolean waited = false;
        for (Future<RecordMetadata> ack : acks) {
            while (true) {
                try {
                    ack.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException slow) {
                    if (progress != null && !waited) {
                        progress.retrying(ErrorCode.TARGET_UNAVAILABLE, "Kafka has not acknowledged "
                                + records.size() + " records for " + PATIENCE.toSeconds() + " s; waiting");
                    }
                    waited = true;
                } catch (ExecutionException e) {
                    throw unavailable(e.getCause());
                }
            }
        }
        if (progress != null && waited) {
            progress.recovered();
        }
        if (progress != null) {
            // Counted once Kafka holds them: a dead letter is only sent when its record is durable.
            for (ProducerRecord<String, byte[]> record : records) {
                String code = DeadLetterRecords.codeOf(record);
                if (code != null) {
                    progress.metrics().deadLetters(code, 1);
                }
            }
        }
    }

    private static DataRsyncException unavailable(Throwable cause) {
        return new DataRsyncException(ErrorCode.TARGET_UNAVAILABLE,
                "Kafka did not acknowledge a record: " + cause.getMessage(), Map.of(), cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
