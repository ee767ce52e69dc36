package com.datarsync.common.kafka;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.DeadLetter;
import com.datarsync.common.event.EventJson;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds the Kafka record of a {@link DeadLetter} for a task's {@code rsync.dlq.<task>} topic. */
public final class DeadLetterRecords {

    private DeadLetterRecords() {
    }

    public static ProducerRecord<String, byte[]> of(String taskId, String stage, ErrorCode code, String reason,
            String key, byte[] payload) {
        DeadLetter letter = new DeadLetter(taskId, stage, code.code(), reason, key,
                payload == null ? null : new String(payload, StandardCharsets.UTF_8), System.currentTimeMillis());
        return new ProducerRecord<>(TopicNames.deadLetters(taskId), key, EventJson.write(letter));
    }
}
