package com.datarsync.listener.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class OffsetMarkingTest {

    /** A record of binlog row {@code row} of event {@code pos}, optionally half of a key change. */
    private static SourceRecord record(long pos, int row, String keyChangeHeader) {
        ConnectHeaders headers = new ConnectHeaders();
        if (keyChangeHeader != null) {
            headers.addString(keyChangeHeader, "{\"id\":2}");
        }
        return new SourceRecord(Map.of("server", "s"), Map.of("pos", pos, "row", row), "t", null,
                Schema.STRING_SCHEMA, "k" + pos, Schema.STRING_SCHEMA, "v", null, headers);
    }

    private static final class RecordingCommitter
            implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        final List<SourceRecord> marked = new ArrayList<>();
        int batchesFinished;

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            marked.add(record.record());
        }

        @Override
        public void markBatchFinished() {
            batchesFinished++;
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            throw new AssertionError("offsets are never rewritten");
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new AssertionError("offsets are never rewritten");
        }
    }

    private static List<RecordChangeEvent<SourceRecord>> events(SourceRecord... records) {
        List<RecordChangeEvent<SourceRecord>> out = new ArrayList<>();
        for (SourceRecord r : records) {
            out.add(() -> r);
        }
        return out;
    }

    @Test
    void aBatchEndingOnTheDeleteHalfOfAKeyChangeLeavesThatDeleteUnmarked() throws InterruptedException {
        SourceRecord insert = record(100, 1, null);
        SourceRecord keyChangeDelete = record(200, 1, OffsetMarking.NEW_KEY_HEADER);
        RecordingCommitter committer = new RecordingCommitter();

        OffsetMarking.mark(events(insert, keyChangeDelete), committer);

        assertThat(committer.marked).containsExactly(insert);
        assertThat(committer.batchesFinished).isEqualTo(1);
    }

    @Test
    void theKeyChangesOffsetIsStoredOnlyWithItsInsertInTheNextBatch() throws InterruptedException {
        SourceRecord keyChangeDelete = record(200, 1, OffsetMarking.NEW_KEY_HEADER);
        SourceRecord keyChangeInsert = record(200, 1, "__debezium.oldkey");
        RecordingCommitter committer = new RecordingCommitter();

        OffsetMarking.mark(events(keyChangeDelete), committer);
        assertThat(committer.marked).isEmpty();
        OffsetMarking.mark(events(keyChangeInsert), committer);

        assertThat(committer.marked).containsExactly(keyChangeInsert);
        assertThat(committer.batchesFinished).isEqualTo(2);
    }

    @Test
    void everyRecordIsMarkedWhenTheKeyChangeIsWholeInTheBatch() {
        List<SourceRecord> batch = List.of(record(200, 1, OffsetMarking.NEW_KEY_HEADER),
                record(200, 1, "__debezium.oldkey"), record(300, 1, null));

        assertThat(OffsetMarking.markable(batch)).isEqualTo(3);
        assertThat(OffsetMarking.markable(List.of())).isZero();
    }
}
