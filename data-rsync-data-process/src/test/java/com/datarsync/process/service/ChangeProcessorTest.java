package com.datarsync.process.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.EventJson;
import com.datarsync.common.event.TopicNames;
import com.datarsync.common.event.VectorRecord;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.common.task.SyncTaskDefinitions;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.infra.NumericVectorizers;
import com.datarsync.process.infra.VectorCache;
import com.datarsync.stage.TaskProgress;
import com.datarsync.stage.TaskRateLimits;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * data-process's handler on one batch, writing through Kafka's own {@link MockProducer}: each
 * change becomes its vector record (the vector computed here independently), every key's records
 * keep their order, and a record that cannot be read goes to the dead letters with its reason
 * while the rest of the batch goes on.
 */
class ChangeProcessorTest {

    private static final String DEFINITION = """
            {"id": "scores", "mode": "FULL_AND_INCREMENTAL",
             "source": {"dataSourceId": 1, "kind": "mariadb", "database": "shop"},
             "tables": [{"table": "scores"}],
             "target": {"collection": "scores", "primaryKeyField": "pk",
                        "scalarFields": [{"name": "title", "type": "VARCHAR", "maxLength": 64}],
                        "vectors": [{"name": "features", "dimension": 2, "metric": "L2",
                                     "embedding": {"provider": "numeric", "model": "features",
                                                   "options": {"normalization": "minmax", "params": "0:100; 0:10"},
                                                   "template": "{a}|{b}"}}]}}
            """;

    private final SyncTaskDefinition task = SyncTaskDefinitions.parse(DEFINITION);
    private final MockProducer<String, byte[]> kafka = new MockProducer<>(topics(), true, null, new StringSerializer(),
            new ByteArraySerializer());
    private final TaskProgress progress = new TaskProgress("scores", "data-process", 1, new SimpleMeterRegistry(),
            new TaskRateLimits());
    private final ChangeProcessor processor;
    private long offset;
    /** Each row as its last change left it: the before image of its next update or delete. */
    private final Map<Integer, Map<String, Object>> rows = new java.util.HashMap<>();

    ChangeProcessorTest() {
        SyncTaskDefinition.VectorField field = task.target().vectors().get(0);
        Vectorizer numeric = new NumericVectorizers().create(field.embedding().model(), field.embedding().optionsOrEmpty());
        ChangeProcessor.VectorSlot slot = new ChangeProcessor.VectorSlot(0, field, numeric, null,
                new EmbeddingMetrics(progress.metrics(), task.id(), numeric));
        // Numeric features are not cached: no Redis is asked.
        processor = new ChangeProcessor(task, List.of(slot), new VectorCache(null, Duration.ofMinutes(1)),
                new AcknowledgedPublisher(() -> kafka), progress);
    }

    /** The task's vector topic with three partitions, as the broker would describe it. */
    private static Cluster topics() {
        Node broker = new Node(1, "127.0.0.1", 9092);
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            partitions.add(new PartitionInfo(TopicNames.vectors("scores"), p, broker, new Node[] {broker}, new Node[] {broker}));
        }
        return new Cluster("unit", List.of(broker), partitions, Set.of(), Set.of());
    }

    private ConsumerRecord<String, byte[]> change(ChangeEvent.Op op, int id, Integer a, Integer b) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("title", "row " + id);
        row.put("a", a);
        row.put("b", b);
        Map<String, Object> before = op == ChangeEvent.Op.c ? null : rows.get(id);
        ChangeEvent event = new ChangeEvent(ChangeEvent.VERSION, "scores", new ChangeEvent.Source("mariadb", "shop",
                "shop", "scores", Map.of("pos", offset), 1_000 + offset, false), op, "{\"id\":" + id + "}",
                before, op == ChangeEvent.Op.d ? null : row);
        rows.put(id, row);
        return input(EventJson.write(event), "shop.scores/" + id, id % 3);
    }

    private ConsumerRecord<String, byte[]> input(byte[] value, String key, int partition) {
        return new ConsumerRecord<>(TopicNames.changes("scores"), partition, offset++, key, value);
    }

    private List<VectorRecord> published() {
        List<VectorRecord> out = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : kafka.history()) {
            if (r.topic().equals(TopicNames.vectors("scores"))) {
                out.add(EventJson.read(r.value(), VectorRecord.class));
            }
        }
        return out;
    }

    @Test
    void anInsertBecomesItsVectorRecordWithTheFeaturesScaled() throws Exception {
        processor.handle(List.of(change(ChangeEvent.Op.c, 1, 25, 5)));

        List<VectorRecord> out = published();
        assertThat(out).hasSize(1);
        VectorRecord record = out.get(0);
        assertThat(record.op()).isEqualTo(VectorRecord.Op.UPSERT);
        VectorRecord.Entity entity = record.entities().get(0);
        assertThat(entity.fields()).containsEntry("title", "row 1");
        // min-max over the stated ranges, computed here: 25 of 0..100 and 5 of 0..10.
        assertThat(entity.vectors().get("features")).containsExactly(0.25f, 0.5f);
    }

    @Test
    void eachKeysRecordsKeepTheirOrder() throws Exception {
        processor.handle(List.of(change(ChangeEvent.Op.c, 1, 10, 1), change(ChangeEvent.Op.c, 2, 20, 2),
                change(ChangeEvent.Op.u, 1, 30, 3), change(ChangeEvent.Op.d, 2, null, null),
                change(ChangeEvent.Op.u, 1, 40, 4)));

        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (VectorRecord r : published()) {
            String vector = r.entities() == null ? "-" : r.entities().get(0).vectors().get("features").toString();
            byKey.computeIfAbsent(r.rowKey(), k -> new ArrayList<>()).add(r.op() + " " + vector);
        }
        assertThat(byKey.values()).containsExactly(
                List.of("UPSERT [0.1, 0.1]", "UPSERT [0.3, 0.3]", "UPSERT [0.4, 0.4]"),
                List.of("UPSERT [0.2, 0.2]", "DELETE -"));
        // Each row's records stay in its change's partition, so the order holds in the vector topic too.
        assertThat(kafka.history()).allSatisfy(r -> assertThat(r.partition())
                .isEqualTo(r.key().equals("{\"id\":1}") ? 1 : 2));
    }

    @Test
    void aRecordThatCannotBeReadGoesToTheDeadLettersWithItsReasonAndTheRestGoesOn() throws Exception {
        processor.handle(List.of(change(ChangeEvent.Op.c, 1, 10, 1),
                input("not json".getBytes(StandardCharsets.UTF_8), "shop.scores/9", 0),
                change(ChangeEvent.Op.c, 2, 20, 2)));

        assertThat(published()).extracting(VectorRecord::op).containsExactly(VectorRecord.Op.UPSERT, VectorRecord.Op.UPSERT);
        List<ProducerRecord<String, byte[]>> letters = kafka.history().stream()
                .filter(r -> r.topic().equals(TopicNames.deadLetters("scores"))).toList();
        assertThat(letters).hasSize(1);
        assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).contains("not json");
        assertThat(letters.get(0).headers().toArray()).isNotEmpty();
        assertThat(progress.counter("deadLetters")).isEqualTo(1);
    }
}
