package com.datarsync.listener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.task.SyncTaskDefinition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ChangeEventConverterTest {

    private static final Schema KEY = SchemaBuilder.struct().name("k").field("tenant", Schema.INT32_SCHEMA)
            .field("code", Schema.STRING_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("v").optional()
            .field("tenant", Schema.INT32_SCHEMA)
            .field("code", Schema.STRING_SCHEMA)
            .field("born", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
            .field("at", SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build())
            .field("updated", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
            .field("stamp", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("db", Schema.STRING_SCHEMA).field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA).field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("drs_t.public.items.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();

    private static SyncTaskDefinition task(int tables) {
        List<SyncTaskDefinition.Table> list = tables == 1
                ? List.of(new SyncTaskDefinition.Table(null, "items", null, null, null, null))
                : List.of(new SyncTaskDefinition.Table(null, "items", null, null, null, null),
                        new SyncTaskDefinition.Table(null, "other", null, null, null, null));
        return new SyncTaskDefinition("t", SyncTaskDefinition.Mode.FULL_AND_INCREMENTAL,
                new SyncTaskDefinition.Source(1L, "postgres", "shop", null), list, null);
    }

    private static SourceRecord record(String op, String snapshot, Struct before, Struct after) {
        Struct key = new Struct(KEY).put("tenant", 7).put("code", "a|b");
        Struct source = new Struct(SOURCE).put("db", "shop").put("schema", "public").put("table", "items")
                .put("ts_ms", 1_700_000_000_000L).put("snapshot", snapshot);
        Struct value = new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source).put("op", op);
        return new SourceRecord(Map.of("server", "drs_t"), Map.of("lsn", 42L), "drs_t.public.items", null, KEY, key,
                ENVELOPE, value);
    }

    private static Struct row() {
        return new Struct(ROW).put("tenant", 7).put("code", "a|b")
                .put("born", 19_000)                       // days since 1970-01-01
                .put("at", 3_723_000_004L)                 // 01:02:03.000004
                .put("updated", 1_700_000_000_123_456L)    // micros since epoch, no zone
                .put("stamp", "2024-03-01T10:00:00.5+02:00")
                .put("blob", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }

    @Test
    void theIncrementalSnapshotsSignalTableCarriesNoData() {
        SyncTaskDefinition base = task(1);
        SyncTaskDefinition incremental = new SyncTaskDefinition(base.id(), base.mode(), new SyncTaskDefinition.Source(1L,
                "postgres", "shop", null, new SyncTaskDefinition.Snapshot(SyncTaskDefinition.SnapshotMethod.INCREMENTAL,
                        null, "items")), base.tables(), null);
        SourceRecord watermark = record("c", null, null, row());

        assertThat(new ChangeEventConverter(incremental).convert(watermark)).isEmpty();
        assertThat(new ChangeEventConverter(base).convert(watermark)).isPresent();
    }

    @Test
    void aRowChangeBecomesOneNormalisedEvent() {
        ChangeEvent event = new ChangeEventConverter(task(1)).convert(record("u", "false", row(), row())).orElseThrow();

        assertThat(event.op()).isEqualTo(ChangeEvent.Op.u);
        assertThat(event.key()).isEqualTo("7|a\\|b");
        assertThat(event.source().qualifiedTable()).isEqualTo("public.items");
        assertThat(event.source().snapshot()).isFalse();
        assertThat(event.source().position()).containsEntry("lsn", 42L);
        assertThat(event.after())
                .containsEntry("born", "2022-01-08")
                .containsEntry("at", "01:02:03.000004")
                .containsEntry("updated", "2023-11-14T22:13:20.123456")
                .containsEntry("stamp", "2024-03-01T08:00:00.500000Z")
                .containsEntry("blob", "AQID")
                .containsEntry("note", null);
    }

    @Test
    void aValueTheEventModelCannotCarryIsRefusedNamingTheColumnAndTheRow() {
        // Debezium hands PostgreSQL's timestamptz 'infinity' over as the text "infinity".
        Struct after = row().put("stamp", "infinity");

        assertThatThrownBy(() -> new ChangeEventConverter(task(1)).convert(record("u", "false", row(), after)))
                .isInstanceOfSatisfying(UnconvertibleRecordException.class, e -> {
                    assertThat(e.key()).isEqualTo("public.items/7|a\\|b");
                    assertThat(e.getMessage()).startsWith("column 'stamp' of public.items (after): value 'infinity' "
                            + "of type io.debezium.time.ZonedTimestamp cannot be carried");
                });
    }

    @Test
    void anUnchangedValueTheLogDidNotCarryIsRefusedNeverPassedOnAsItsPlaceholder() {
        Struct after = row().put("note", "__debezium_unavailable_value");
        Struct afterBytes = row().put("blob", ByteBuffer.wrap("__debezium_unavailable_value".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        ChangeEventConverter converter = new ChangeEventConverter(task(1));

        assertThatThrownBy(() -> converter.convert(record("u", "false", null, after)))
                .isInstanceOfSatisfying(UnconvertibleRecordException.class, e -> {
                    assertThat(e.key()).isEqualTo("public.items/7|a\\|b");
                    assertThat(e.getMessage()).contains("column 'note' of public.items")
                            .contains("REPLICA IDENTITY is not FULL");
                });
        assertThatThrownBy(() -> converter.convert(record("u", "false", null, afterBytes)))
                .isInstanceOf(UnconvertibleRecordException.class).hasMessageContaining("column 'blob'");
        assertThat(converter.convert(record("u", "false", null, row().put("note", "a real note")))).isPresent();
    }

    @Test
    void aTruncateBecomesAnEventWithTheTableAndNoKeyOrRow() {
        Struct source = new Struct(SOURCE).put("db", "shop").put("schema", "public").put("table", "items")
                .put("ts_ms", 1_700_000_000_000L);
        Struct value = new Struct(ENVELOPE).put("source", source).put("op", "t");
        SourceRecord truncate = new SourceRecord(Map.of("server", "drs_t"), Map.of("lsn", 43L), "drs_t.public.items",
                null, null, null, ENVELOPE, value);

        ChangeEvent event = new ChangeEventConverter(task(2)).convert(truncate).orElseThrow();

        assertThat(event.op()).isEqualTo(ChangeEvent.Op.t);
        assertThat(event.op().isTruncate()).isTrue();
        assertThat(event.source().qualifiedTable()).isEqualTo("public.items");
        assertThat(event.key()).isNull();
        assertThat(event.before()).isNull();
        assertThat(event.after()).isNull();
    }

    @Test
    void severalTablesQualifyTheKeyAndSnapshotReadsAreMarked() {
        ChangeEvent event = new ChangeEventConverter(task(2)).convert(record("r", "last", null, row())).orElseThrow();

        assertThat(event.key()).isEqualTo("public.items/7|a\\|b");
        assertThat(event.source().snapshot()).isTrue();
        assertThat(ChangeEventConverter.isLastSnapshotRecord(record("r", "last", null, row()))).isTrue();
    }

    @Test
    void recordsThatAreNotRowChangesYieldNothing() {
        ChangeEventConverter converter = new ChangeEventConverter(task(1));
        Schema heartbeat = SchemaBuilder.struct().name("io.debezium.connector.common.Heartbeat")
                .field("ts_ms", Schema.INT64_SCHEMA).build();

        assertThat(converter.convert(new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.drs_t", null, null,
                null, heartbeat, new Struct(heartbeat).put("ts_ms", 1L)))).isEmpty();
        assertThat(converter.convert(new SourceRecord(Map.of(), Map.of(), "drs_t.public.items", null, KEY,
                new Struct(KEY).put("tenant", 1).put("code", "x"), null, null))).as("tombstone").isEmpty();
    }

    @Test
    void dateTimesOutsideTheNanosecondRangeKeepTheirValue() {
        Schema micro = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build();
        Schema milli = SchemaBuilder.int64().name("io.debezium.time.Timestamp").build();
        // Expected values computed with java.time from the calendar date, independently of the converter.
        long year1000 = java.time.LocalDateTime.of(1000, 1, 1, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC);
        long year9999 = java.time.LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(java.time.ZoneOffset.UTC);
        assertThat(ColumnValues.normalise(micro, year1000 * 1_000_000L)).isEqualTo("1000-01-01T00:00:00.000000");
        assertThat(ColumnValues.normalise(micro, year9999 * 1_000_000L + 999_999L))
                .isEqualTo("9999-12-31T23:59:59.999999");
        assertThat(ColumnValues.normalise(milli, year1000 * 1_000L - 1)).isEqualTo("0999-12-31T23:59:59.999000");
        assertThat(ColumnValues.normalise(micro, -1L)).isEqualTo("1969-12-31T23:59:59.999999");
    }

    @Test
    void anUnsignedBigintKeepsItsValueAboveTwoToTheSixtyThird() {
        Schema precise = org.apache.kafka.connect.data.Decimal.builder(0).build();
        Object max = ColumnValues.normalise(precise, new java.math.BigDecimal("18446744073709551615"));
        assertThat(max).isEqualTo(new java.math.BigInteger("18446744073709551615"));
        assertThat(ColumnValues.normalise(precise, new java.math.BigDecimal("9223372036854775807")))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(ColumnValues.normalise(precise, new java.math.BigDecimal("9223372036854775808")))
                .isEqualTo(new java.math.BigInteger("9223372036854775808"));
    }

    @Test
    void aTimeBeyondOneDayIsWrittenAsMySqlWritesIt() {
        Schema micro = SchemaBuilder.int64().name("io.debezium.time.MicroTime").build();
        assertThat(ColumnValues.normalise(micro, 90_000_000_000L)).isEqualTo("25:00:00.000000");
        long max = ((838L * 60 + 59) * 60 + 59) * 1_000_000L;
        assertThat(ColumnValues.normalise(micro, max)).isEqualTo("838:59:59.000000");
        assertThat(ColumnValues.normalise(micro, -max)).isEqualTo("-838:59:59.000000");
        assertThat(ColumnValues.normalise(micro, -1_500_000L)).isEqualTo("-00:00:01.500000");
        assertThat(ColumnValues.normalise(micro, 86_400_000_000L)).as("PostgreSQL 24:00:00").isEqualTo("24:00:00.000000");
    }

    @Test
    void bitsAreTheBitStringOfTheDeclaredLength() {
        Schema bits5 = SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", "5").build();
        Schema bits16 = SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", "16").build();
        // Debezium's bytes are little-endian: 0b10110 is one byte 0x16; 0x8001 is 01 80.
        assertThat(ColumnValues.normalise(bits5, new byte[] {0x16})).isEqualTo("10110");
        assertThat(ColumnValues.normalise(bits16, java.nio.ByteBuffer.wrap(new byte[] {0x01, (byte) 0x80})))
                .isEqualTo("1000000000000001");
    }

    @Test
    void intervalsAreWrittenAsPostgresWritesThemInIso8601() {
        Schema interval = SchemaBuilder.string().name("io.debezium.time.Interval").build();
        assertThat(ColumnValues.normalise(interval, "P1Y2M3DT4H5M6.789000S")).isEqualTo("P1Y2M3DT4H5M6.789S");
        assertThat(ColumnValues.normalise(interval, "P0Y1M-1DT0H0M0S")).isEqualTo("P1M-1D");
        assertThat(ColumnValues.normalise(interval, "P0Y0M0DT0H0M0S")).isEqualTo("PT0S");
        assertThat(ColumnValues.normalise(interval, "P0Y0M0DT-1H-30M0S")).isEqualTo("PT-1H-30M");
    }

    @Test
    void datesBeyondEverySourcesRangeAreRefusedNotWritten() {
        Schema date = SchemaBuilder.int32().name("io.debezium.time.Date").build();
        Schema micro = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build();
        assertThat(ColumnValues.normalise(date, (int) java.time.LocalDate.of(5_874_897, 12, 31).toEpochDay()))
                .isEqualTo("+5874897-12-31");
        assertThat(ColumnValues.normalise(date, (int) java.time.LocalDate.of(-4712, 1, 1).toEpochDay()))
                .isEqualTo("-4712-01-01");
        assertThatThrownBy(() -> ColumnValues.normalise(date, Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ColumnValues.normalise(micro, Long.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theUnavailablePlaceholderInAnIntegerArrayIsRecognised() {
        List<Object> placeholder = new java.util.ArrayList<>();
        for (byte b : "__debezium_unavailable_value".getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            placeholder.add((int) b);
        }
        assertThat(ChangeEventConverter.isUnavailable(placeholder)).isTrue();
        List<Object> real = new java.util.ArrayList<>(placeholder);
        real.set(0, 96);
        assertThat(ChangeEventConverter.isUnavailable(real)).isFalse();
        assertThat(ChangeEventConverter.isUnavailable(List.of(1, 2, 3))).isFalse();
    }

    @Test
    void aKeyValueTheEventModelCannotCarryIsRefusedNotAStoppedCapture() {
        Schema dateKey = SchemaBuilder.struct().name("k").field("valid_to",
                SchemaBuilder.int32().name("io.debezium.time.Date").build()).build();
        Struct source = new Struct(SOURCE).put("db", "shop").put("schema", "public").put("table", "items")
                .put("ts_ms", 1_700_000_000_000L).put("snapshot", "false");
        Struct value = new Struct(ENVELOPE).put("after", row()).put("source", source).put("op", "c");
        SourceRecord infinityKey = new SourceRecord(Map.of(), Map.of(), "drs_t.public.items", null, dateKey,
                new Struct(dateKey).put("valid_to", Integer.MAX_VALUE), ENVELOPE, value);

        assertThatThrownBy(() -> new ChangeEventConverter(task(1)).convert(infinityKey))
                .isInstanceOfSatisfying(UnconvertibleRecordException.class, e -> {
                    assertThat(e.getMessage()).startsWith("key column 'valid_to' of public.items");
                    assertThat(e.key()).startsWith("public.items/");
                });
    }
}
