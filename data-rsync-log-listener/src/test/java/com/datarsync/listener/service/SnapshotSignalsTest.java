package com.datarsync.listener.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.task.SyncTaskDefinition;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * An incremental snapshot's signal reaches Debezium only once the capture streams: Debezium reads
 * the first chunk on the signal's thread over the connection its streaming source starts up with.
 */
class SnapshotSignalsTest {

    private final List<DebeziumEngine.Signal> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean streaming = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();

    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = new DebeziumEngine<>() {
        @Override
        public void run() {
        }

        @Override
        public void close() {
        }

        @Override
        public DebeziumEngine.Signaler getSignaler() {
            return received::add;
        }
    };

    private final SnapshotSignals signals = new SnapshotSignals(
            new SyncTaskDefinition("t1", SyncTaskDefinition.Mode.FULL_AND_INCREMENTAL, null, List.of(), null),
            null, null, null, () -> engine, streaming::get, stopping::get);

    @Test
    void theSignalWaitsUntilTheCaptureStreamsThenGoesOutOnce() throws Exception {
        Thread signaller = new Thread(() -> signals.signal(List.of("shop.orders")));
        signaller.start();

        // Debezium still starting up (schema, GTID set): nothing is signalled.
        Thread.sleep(1_500);
        assertThat(received).isEmpty();

        streaming.set(true);
        signaller.join(5_000);
        assertThat(signaller.isAlive()).isFalse();
        assertThat(received).singleElement().satisfies(signal -> {
            assertThat(signal.type()).isEqualTo("execute-snapshot");
            assertThat(signal.data()).contains("\"data-collections\":[\"shop.orders\"]").contains("\"incremental\"");
        });
    }

    @Test
    void aSignalWaitingForTheStreamEndsWithTheCapture() throws Exception {
        Thread signaller = new Thread(() -> signals.signal(List.of("shop.orders")));
        signaller.start();
        Thread.sleep(700);

        stopping.set(true);
        signaller.join(5_000);

        assertThat(signaller.isAlive()).isFalse();
        assertThat(received).isEmpty();
    }
}
