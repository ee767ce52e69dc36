package com.datarsync.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowKeyTest {

    @Test
    void singleColumnKeyIsTheValueAsText() {
        assertThat(RowKey.of(List.of(42L))).isEqualTo("42");
        assertThat(RowKey.of(List.of(new BigDecimal("1.500")))).isEqualTo("1.5");
        assertThat(RowKey.of(List.of("a|b"))).isEqualTo("a|b");
    }

    @Test
    void compositeKeysJoinWithPipeAndEscapeIt() {
        assertThat(RowKey.of(List.of(7, "x|y\\z"))).isEqualTo("7|x\\|y\\\\z");
        // Distinct key tuples never collide.
        assertThat(RowKey.of(List.of("a|", "b"))).isNotEqualTo(RowKey.of(List.of("a", "|b")));
    }

    @Test
    void eventsRoundTripThroughTheSharedJson() {
        VectorRecord r = VectorRecord.delete("t1", "c1", "7|x", null, 5L);
        assertThat(EventJson.read(EventJson.write(r), VectorRecord.class)).isEqualTo(r);
    }
}
