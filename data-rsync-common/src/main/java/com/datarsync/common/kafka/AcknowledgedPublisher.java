package com.datarsync.common.kafka;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An idempotent, acks=all producer whose {@link #publishAll} returns only when Kafka has
 * acknowledged every record: the point after which a stage may mark its input done.
 */
public class AcknowledgedPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public AcknowledgedPublisher(KafkaSettings settings, String clientId) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicProvisioner.MAX_RECORD_BYTES,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.CLIENT_ID_CONFIG, clientId),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends every record, in order, and waits until Kafka acknowledged all of them. */
    public void publishAll(List<ProducerRecord<String, byte[]>> records) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            acks.add(producer.send(record));
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new DataRsyncException(ErrorCode.TARGET_UNAVAILABLE,
                        "Kafka did not acknowledge a record: " + e.getCause().getMessage(), Map.of(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
