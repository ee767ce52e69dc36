package com.datarsync.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
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
        VectorRecord chunks = new VectorRecord(VectorRecord.VERSION, "t1", "c1", VectorRecord.Op.UPSERT, "7|x",
                List.of(new VectorRecord.Entity(VectorRecord.chunkKey("7|x", 0), Map.of("row_key", "7|x"),
                        Map.of("v", List.of(0.5f, -1f)))), Map.of("pos", 3), 5L);
        assertThat(EventJson.read(EventJson.write(chunks), VectorRecord.class)).isEqualTo(chunks);
        assertThat(chunks.entities().get(0).primaryKey()).isEqualTo("7|x#0");
    }
}
