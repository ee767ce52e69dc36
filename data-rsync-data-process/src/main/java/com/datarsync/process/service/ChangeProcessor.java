package com.datarsync.process.service;

import com.datarsync.common.stage.StageName;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.EventJson;
import com.datarsync.common.event.VectorRecord;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import com.datarsync.stage.kafka.CommittingBatchConsumer;
import com.datarsync.stage.kafka.DeadLetterRecords;
import com.datarsync.common.event.TopicNames;
import com.datarsync.stage.StageOps;
import com.datarsync.stage.TaskProgress;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.process.domain.MappedChange;
import com.datarsync.process.domain.RecordRejectedException;
import com.datarsync.process.domain.RowMapper;
import com.datarsync.process.domain.SchemaChangedException;
import com.datarsync.process.domain.TextChunker;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.infra.VectorCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One task's processing of a batch of change events: map each, render every vector field's text
 * (split into chunks for the chunked field), take the vectors the cache holds, embed the rest in
 * one batched call per model, and publish one vector record (or dead letter) per input, in order.
 * The consumer commits the batch only after this returns, that is after Kafka acknowledged it.
 */
final class ChangeProcessor implements CommittingBatchConsumer.BatchHandler {

    /**
     * A vector field and what fills it. Fields that share a model share its {@link Vectorizer}
     * instance, and so its cache entries and model calls.
     *
     * @param chunker set for the chunked field only
     */
    record VectorSlot(int index, SyncTaskDefinition.VectorField field, Vectorizer vectorizer, TextChunker chunker,
            EmbeddingMetrics metrics) {
    }

    private final SyncTaskDefinition task;
    private final RowMapper mapper;
    private final List<VectorSlot> slots;
    private final CachedEmbedder embedder;
    private final AcknowledgedPublisher publisher;
    private final TaskProgress progress;
    private final String vectorTopic;
    /** The chunked field, if any: its chunks decide how many entities a row has. */
    private final Optional<VectorSlot> chunked;
    private final Map<String, Integer> partitionCounts = new HashMap<>();

    ChangeProcessor(SyncTaskDefinition task, List<VectorSlot> slots, VectorCache cache, AcknowledgedPublisher publisher,
            TaskProgress progress) {
        this.task = task;
        this.mapper = new RowMapper(task);
        this.slots = slots;
        this.embedder = new CachedEmbedder(cache, progress);
        this.publisher = publisher;
        this.progress = progress;
        this.vectorTopic = TopicNames.vectors(task.id());
        this.chunked = slots.stream().filter(s -> s.chunker() != null).findFirst();
    }

    /**
     * A record's outcome before vectors are attached.
     *
     * @param texts per vector slot, the texts to embed: the chunks of the chunked field, else one
     */
    private record Step(ConsumerRecord<String, byte[]> input, ChangeEvent event, MappedChange change,
            List<List<String>> texts, String rejection) {
    }

    @Override
    public void handle(List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
        List<Step> steps = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> input : batch) {
            try {
                ChangeEvent event = EventJson.read(input.value(), ChangeEvent.class);
                progress.metrics().eventsIn(StageOps.of(event), 1);
                Optional<MappedChange> change = mapper.map(event);
                if (change.isEmpty()) {
                    progress.add("filteredRecords", 1);
                    continue;
                }
                if (unchanged(event, change.get())) {
                    progress.add("unchangedRecords", 1);
                    continue;
                }
                List<List<String>> texts = change.get() instanceof MappedChange.Upsert u ? texts(u) : null;
                steps.add(new Step(input, event, change.get(), texts, null));
            } catch (RecordRejectedException | IllegalArgumentException e) {
                if (e instanceof SchemaChangedException changed) {
                    progress.warn(changed.warning());
                }
                steps.add(new Step(input, null, null, null, e.getMessage()));
            }
        }
        Map<Vectorizer, Map<String, float[]>> vectors = embed(steps);

        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(steps.size());
        for (Step step : steps) {
            if (step.rejection() != null) {
                out.add(DeadLetterRecords.of(task.id(), StageName.DATA_PROCESS.label(), ErrorCode.RECORD_REJECTED, step.rejection(),
                        step.input()));
                progress.add("deadLetters", 1);
                continue;
            }
            ChangeEvent.Source source = step.event().source();
            VectorRecord record;
            if (step.change() instanceof MappedChange.Heartbeat) {
                record = VectorRecord.heartbeat(task.id(), task.target().collection(), source.tsMs());
            } else if (step.change() instanceof MappedChange.SnapshotMarker marker) {
                record = VectorRecord.snapshotMarker(task.id(), task.target().collection(), marker.begin()
                        ? VectorRecord.Op.SNAPSHOT_BEGIN : VectorRecord.Op.SNAPSHOT_END, step.input().partition(),
                        partitions(step.input().topic()));
            } else if (step.change() instanceof MappedChange.Truncate t) {
                record = VectorRecord.truncate(task.id(), task.target().collection(), new VectorRecord.Truncate(
                        t.table(), t.rowKeyPrefix(), t.table() + "/", step.input().partition(),
                        partitions(step.input().topic())), source.position(), source.tsMs());
                progress.add("truncates", 1);
            } else if (step.change() instanceof MappedChange.Upsert u) {
                record = new VectorRecord(VectorRecord.VERSION, task.id(), task.target().collection(),
                        VectorRecord.Op.UPSERT, u.key(), entities(u, step.texts(), vectors), source.position(),
                        source.tsMs());
            } else {
                record = VectorRecord.delete(task.id(), task.target().collection(), step.change().key(),
                        source.position(), source.tsMs());
            }
            // The vector record keeps its change's partition number: a row's records, and the
            // truncate copies between them, stay in the same order in both topics.
            // A truncate is keyed by its table (schema.table/), as in the change topic.
            String key = record.op() == VectorRecord.Op.TRUNCATE ? step.input().key() : record.rowKey();
            ProducerRecord<String, byte[]> published = DeadLetterRecords.sizeChecked(new ProducerRecord<>(vectorTopic,
                    step.input().partition() % partitions(vectorTopic), key, EventJson.write(record)),
                    task.id(), StageName.DATA_PROCESS.label());
            out.add(published);
            if (!published.topic().equals(vectorTopic)) {
                progress.add("deadLetters", 1);
            } else {
                progress.metrics().eventsOut(StageOps.of(record.op()), 1);
            }
        }
        publisher.publishAll(out, progress);
        progress.add("publishedRecords", out.size());
        // Everything read is now in the vector topic (or the dead letters): done up to its source time.
        for (Step step : steps) {
            if (step.event() != null) {
                progress.metrics().finished(step.input().partition(), step.event().source().tsMs());
            }
        }
    }

    /**
     * Whether an update leaves everything the task writes as it was: the row before it maps to
     * the same outcome (every mapped field, every rendered text, or the same removal), so Milvus
     * already holds it and nothing is written (nor embedded). Needs the row's before image
     * (MySQL/MariaDB's full row image; PostgreSQL with REPLICA IDENTITY FULL); without one, or
     * when the before image cannot be mapped, the change is carried as usual.
     */
    private boolean unchanged(ChangeEvent event, MappedChange change) {
        if (event.op() != ChangeEvent.Op.u || event.before() == null || event.source().snapshot()) {
            return false;
        }
        try {
            Optional<MappedChange> before = mapper.map(new ChangeEvent(event.version(), event.taskId(), event.source(),
                    event.op(), event.key(), null, event.before()));
            return before.isPresent() && before.get().equals(change);
        } catch (RecordRejectedException | IllegalArgumentException unmappable) {
            return false;
        }
    }

    /** What the task would write for some rows: their entities, or why a row would be refused. */
    record Preview(Map<String, List<VectorRecord.Entity>> entities, Map<String, String> rejected) {
    }

    /**
     * What this task would write for each row now, published nowhere and without the vector
     * cache: every text is embedded again by the task's model, so a verification compares
     * Milvus with the model, not with what the cache remembers. A row the task filters out, or
     * maps to a delete, has no entities.
     */
    Preview preview(Map<String, ChangeEvent> rows) {
        Map<String, MappedChange.Upsert> upserts = new LinkedHashMap<>();
        Map<String, List<List<String>>> texts = new HashMap<>();
        Map<String, String> rejected = new LinkedHashMap<>();
        Map<String, List<VectorRecord.Entity>> out = new LinkedHashMap<>();
        rows.forEach((rowKey, event) -> {
            try {
                Optional<MappedChange> change = mapper.map(event);
                if (change.isPresent() && change.get() instanceof MappedChange.Upsert u) {
                    upserts.put(rowKey, u);
                    texts.put(rowKey, texts(u));
                } else {
                    out.put(rowKey, List.of());
                }
            } catch (RecordRejectedException | IllegalArgumentException e) {
                rejected.put(rowKey, e.getMessage());
            }
        });
        Map<Vectorizer, Map<String, float[]>> vectors = new IdentityHashMap<>();
        for (VectorSlot slot : slots) {
            Set<String> slotTexts = new LinkedHashSet<>();
            texts.values().forEach(t -> slotTexts.addAll(t.get(slot.index())));
            Map<String, float[]> byText = vectors.computeIfAbsent(slot.vectorizer(), v -> new HashMap<>());
            slotTexts.removeAll(byText.keySet());
            List<String> distinct = new ArrayList<>(slotTexts);
            if (!distinct.isEmpty()) {
                List<float[]> embedded;
                try {
                    embedded = embedder.paced(slot.vectorizer(), distinct);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while embedding", e);
                }
                for (int i = 0; i < distinct.size(); i++) {
                    byText.put(distinct.get(i), embedded.get(i));
                }
            }
        }
        upserts.forEach((rowKey, u) -> out.put(rowKey, entities(u, texts.get(rowKey), vectors)));
        return new Preview(out, rejected);
    }

    /** Partition counts by topic; they never shrink, and a task's topics are made together. */
    private int partitions(String topic) {
        return partitionCounts.computeIfAbsent(topic, publisher::partitionCount);
    }

    private List<List<String>> texts(MappedChange.Upsert u) {
        List<List<String>> out = new ArrayList<>(slots.size());
        for (VectorSlot slot : slots) {
            String text = u.texts().get(slot.index());
            out.add(slot.chunker() == null ? List.of(text) : slot.chunker().split(text));
        }
        return out;
    }

    /**
     * A row's entities: one per chunk of the chunked field (or just one), each with every vector
     * field. {@code vectors} holds, per model, the vector of each text of the batch.
     */
    private List<VectorRecord.Entity> entities(MappedChange.Upsert u, List<List<String>> texts,
            Map<Vectorizer, Map<String, float[]>> vectors) {
        SyncTaskDefinition.Target target = task.target();
        int count = chunked.map(s -> texts.get(s.index()).size()).orElse(1);
        List<VectorRecord.Entity> out = new ArrayList<>(count);
        for (int chunk = 0; chunk < count; chunk++) {
            Map<String, Object> fields = new LinkedHashMap<>(u.fields());
            if (target.rowKeyField() != null) {
                fields.put(target.rowKeyField(), u.key());
            }
            if (target.chunkTextField() != null) {
                fields.put(target.chunkTextField(), texts.get(chunked.orElseThrow().index()).get(chunk));
            }
            Map<String, List<Float>> entityVectors = new LinkedHashMap<>();
            for (VectorSlot slot : slots) {
                List<String> slotTexts = texts.get(slot.index());
                String text = slot.chunker() == null ? slotTexts.get(0) : slotTexts.get(chunk);
                entityVectors.put(slot.field().name(), asList(vectors.get(slot.vectorizer()).get(text)));
            }
            out.add(new VectorRecord.Entity(chunked.isPresent() ? VectorRecord.chunkKey(u.key(), chunk) : u.key(),
                    fields, entityVectors));
        }
        return out;
    }

    /**
     * The vectors of every text of the batch, by model and text: from the cache (keyed by the
     * text's SHA-256), else from one batched call per model for the distinct texts it lacks.
     */
    private Map<Vectorizer, Map<String, float[]>> embed(List<Step> steps) throws InterruptedException {
        Map<Vectorizer, Set<String>> textsByModel = new IdentityHashMap<>();
        Map<Vectorizer, VectorSlot> slotByModel = new IdentityHashMap<>();
        for (VectorSlot slot : slots) {
            textsByModel.putIfAbsent(slot.vectorizer(), new LinkedHashSet<>());
            slotByModel.putIfAbsent(slot.vectorizer(), slot);
        }
        for (Step step : steps) {
            if (step.texts() == null) {
                continue;
            }
            for (VectorSlot slot : slots) {
                textsByModel.get(slot.vectorizer()).addAll(step.texts().get(slot.index()));
            }
        }
        Map<Vectorizer, Map<String, float[]>> out = new IdentityHashMap<>();
        for (Map.Entry<Vectorizer, Set<String>> e : textsByModel.entrySet()) {
            out.put(e.getKey(), embedder.embed(e.getKey(), slotByModel.get(e.getKey()).metrics(), e.getValue()));
        }
        for (VectorSlot slot : slots) {
            checkDimension(slot, out.get(slot.vectorizer()));
        }
        return out;
    }

    /** A model whose vectors do not fit the field is a configuration error: the task stops. */
    private static void checkDimension(VectorSlot slot, Map<String, float[]> vectors) {
        int dimension = slot.field().dimension();
        for (float[] vector : vectors.values()) {
            if (vector.length != dimension) {
                String path = "target.vectors[" + slot.index() + "].dimension";
                throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, path + ": " + slot.vectorizer().modelName()
                        + " made a vector of " + vector.length + " dimensions, not " + dimension, Map.of("field", path),
                        null);
            }
        }
    }

    private static List<Float> asList(float[] vector) {
        List<Float> out = new ArrayList<>(vector.length);
        for (float v : vector) {
            out.add(v);
        }
        return out;
    }
}
