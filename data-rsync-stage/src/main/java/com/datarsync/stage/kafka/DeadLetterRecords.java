package com.datarsync.stage.kafka;

import com.datarsync.common.event.TopicNames;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.DeadLetter;
import com.datarsync.common.event.EventJson;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds the Kafka record of a {@link DeadLetter} for a task's {@code rsync.dlq.<task>} topic. */
public final class DeadLetterRecords {

    private DeadLetterRecords() {
    }

    /** The most of an oversized record's payload a dead letter keeps (the dead letter must fit its topic too). */
    static final int KEPT_PAYLOAD_BYTES = 64 * 1024;

    /**
     * A record headed for a task topic that Kafka would refuse for its size is replaced by a dead
     * letter that names its size and keeps the payload's beginning; any other record is returned
     * as it is.
     */
    public static ProducerRecord<String, byte[]> sizeChecked(ProducerRecord<String, byte[]> record, String taskId,
            String stage) {
        int size = record.value().length + (record.key() == null ? 0 : record.key().length() * 3);
        // Headroom for the record batch's own overhead, which Kafka counts against the limit too.
        if (size <= TopicProvisioner.MAX_RECORD_BYTES - 4096) {
            return record;
        }
        byte[] head = java.util.Arrays.copyOf(record.value(), KEPT_PAYLOAD_BYTES);
        return of(taskId, stage, ErrorCode.RECORD_REJECTED, "the record is " + record.value().length
                + " bytes, over Kafka's limit of " + TopicProvisioner.MAX_RECORD_BYTES + " bytes for "
                + record.topic() + "; its first " + KEPT_PAYLOAD_BYTES + " bytes are kept here", record.key(), head);
    }

    /** A dead letter that cannot be replayed: its record came from no task topic. */
    public static ProducerRecord<String, byte[]> of(String taskId, String stage, ErrorCode code, String reason,
            String key, byte[] payload) {
        return of(taskId, stage, code, reason, key, payload, null);
    }

    /**
     * A dead letter for a record read from a task topic, which a replay puts back into the same
     * partition with the same key.
     */
    public static ProducerRecord<String, byte[]> of(String taskId, String stage, ErrorCode code, String reason,
            ConsumerRecord<String, byte[]> input) {
        return of(taskId, stage, code, reason, input.key(), input.value(),
                new DeadLetter.Source(input.topic(), input.partition(), input.offset()));
    }

    /** As {@link #of(String, String, ErrorCode, String, ConsumerRecord)} with another key and payload. */
    public static ProducerRecord<String, byte[]> of(String taskId, String stage, ErrorCode code, String reason,
            String key, byte[] payload, DeadLetter.Source source) {
        DeadLetter letter = new DeadLetter(taskId, stage, code.code(), reason, key,
                payload == null ? null : new String(payload, StandardCharsets.UTF_8), System.currentTimeMillis(), source);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(TopicNames.deadLetters(taskId), key,
                EventJson.write(letter));
        record.headers().add(CODE_HEADER, code.code().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** The header naming a dead letter's error code, so the publisher counts it without reading the JSON. */
    public static final String CODE_HEADER = "datarsync-code";

    /** The error code of a dead letter record, or null for any other record. */
    public static String codeOf(ProducerRecord<String, byte[]> record) {
        org.apache.kafka.common.header.Header header = record.headers().lastHeader(CODE_HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
