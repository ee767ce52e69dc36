package com.datarsync.listener.service;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Which records of a published batch may have their source offsets stored.
 *
 * <p>An update that changes a row's primary key reaches us as two records, a delete of the old
 * key (with a {@code __debezium.newkey} header) and an insert of the new one, and both carry the
 * same source offset: the one saying "this row of the log is done". When a batch ends between
 * the two, storing the delete's offset would let a crash before the next batch skip the insert
 * for good on resume (the binlog's row skip, the WAL's processed LSN). So a batch's trailing
 * key-change delete is published but not marked; the next batch marks it with its insert, and a
 * replay after a crash in between only publishes the delete again.
 */
final class OffsetMarking {

    static final String NEW_KEY_HEADER = "__debezium.newkey";

    private OffsetMarking() {
    }

    /** How many records, from the start of the batch, may be marked processed. */
    static int markable(List<SourceRecord> batch) {
        return batch.isEmpty() ? 0 : batch.size() - (halfOfKeyChange(batch.get(batch.size() - 1)) ? 1 : 0);
    }

    /** Marks the batch's markable records processed, in order, and ends the batch. */
    static void mark(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        int markable = records.isEmpty() ? 0
                : records.size() - (halfOfKeyChange(records.get(records.size() - 1).record()) ? 1 : 0);
        for (int i = 0; i < markable; i++) {
            committer.markProcessed(records.get(i));
        }
        committer.markBatchFinished();
    }

    private static boolean halfOfKeyChange(SourceRecord record) {
        return record.headers() != null && record.headers().lastWithName(NEW_KEY_HEADER) != null;
    }
}
