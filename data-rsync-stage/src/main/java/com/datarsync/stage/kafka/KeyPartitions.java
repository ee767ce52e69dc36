package com.datarsync.stage.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition Kafka's default partitioner gives a record key (murmur2 of its UTF-8 bytes), so
 * a stage can tell which partition a row's changes travel in without having seen them: a
 * TRUNCATE copy in one partition removes exactly the rows of that partition.
 */
public final class KeyPartitions {

    private KeyPartitions() {
    }

    public static int of(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
