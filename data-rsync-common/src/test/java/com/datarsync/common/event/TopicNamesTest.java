package com.datarsync.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void namesFollowTheDesignContract() {
        assertThat(TopicNames.changes("orders-1")).isEqualTo("rsync.changes.orders-1");
        assertThat(TopicNames.vectors("orders-1")).isEqualTo("rsync.vectors.orders-1");
        assertThat(TopicNames.deadLetters("orders-1")).isEqualTo("rsync.dlq.orders-1");
    }

    @Test
    void refusesTaskIdsKafkaCannotName() {
        assertThatThrownBy(() -> TopicNames.changes("orders/1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders/1");
        assertThatThrownBy(() -> TopicNames.vectors("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicNames.deadLetters(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
