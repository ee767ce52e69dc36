package com.datarsync.stage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class KeyPartitionsTest {

    /** The function the producer itself uses for a keyed record when no partitioner is configured. */
    @Test
    void agreesWithTheProducersBuiltInPartitioner() {
        for (String key : List.of("shop.items/1", "shop.items/42", "public.docs/7|a\\|b", "shop.t/shop.t/数据", "x")) {
            for (int partitions : List.of(1, 3, 7)) {
                assertThat(KeyPartitions.of(key, partitions)).as(key + " of " + partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
