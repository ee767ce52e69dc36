package com.datarsync.process.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.EventJson;
import com.datarsync.common.event.VectorRecord;
import com.datarsync.common.kafka.AcknowledgedPublisher;
import com.datarsync.common.kafka.CommittingBatchConsumer;
import com.datarsync.common.kafka.DeadLetterRecords;
import com.datarsync.common.kafka.TopicNames;
import com.datarsync.common.stage.TaskProgress;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.process.domain.MappedChange;
import com.datarsync.process.domain.RecordRejectedException;
import com.datarsync.process.domain.RowMapper;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.infra.VectorCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One task's processing of a batch of change events: map each, embed the texts the cache does
 * not know in one batched call, and publish vector records (or dead letters) in input order.
 * The consumer commits the batch only after this returns, that is after Kafka acknowledged it.
 */
final class ChangeProcessor implements CommittingBatchConsumer.BatchHandler {

    private final SyncTaskDefinition task;
    private final RowMapper mapper;
    private final Vectorizer vectorizer;
    private final VectorCache cache;
    private final AcknowledgedPublisher publisher;
    private final TaskProgress progress;
    private final String vectorTopic;
    private final EmbeddingMetrics metrics;

    ChangeProcessor(SyncTaskDefinition task, Vectorizer vectorizer, VectorCache cache, AcknowledgedPublisher publisher,
            TaskProgress progress, EmbeddingMetrics metrics) {
        this.task = task;
        this.mapper = new RowMapper(task);
        this.vectorizer = vectorizer;
        this.cache = cache;
        this.publisher = publisher;
        this.progress = progress;
        this.vectorTopic = TopicNames.vectors(task.id());
        this.metrics = metrics;
    }

    /** A record's outcome before vectors are attached. */
    private record Step(ConsumerRecord<String, byte[]> input, ChangeEvent event, MappedChange change,
            String textHash, String rejection) {
    }

    @Override
    public void handle(List<ConsumerRecord<String, byte[]>> batch) throws InterruptedException {
        List<Step> steps = new ArrayList<>(batch.size());
        Map<String, float[]> vectorsByHash = new HashMap<>();
        for (ConsumerRecord<String, byte[]> input : batch) {
            try {
                ChangeEvent event = EventJson.read(input.value(), ChangeEvent.class);
                Optional<MappedChange> change = mapper.map(event);
                if (change.isEmpty()) {
                    progress.add("filteredRecords", 1);
                    continue;
                }
                String hash = change.get() instanceof MappedChange.Upsert u ? sha256(u.text()) : null;
                if (hash != null) {
                    vectorsByHash.put(hash, null);
                }
                steps.add(new Step(input, event, change.get(), hash, null));
            } catch (RecordRejectedException | IllegalArgumentException e) {
                steps.add(new Step(input, null, null, null, e.getMessage()));
            }
        }
        embedMissing(steps, vectorsByHash);

        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(steps.size());
        for (Step step : steps) {
            if (step.rejection() != null) {
                out.add(DeadLetterRecords.of(task.id(), "data-process", ErrorCode.RECORD_REJECTED, step.rejection(),
                        step.input().key(), step.input().value()));
                progress.add("deadLetters", 1);
                continue;
            }
            ChangeEvent.Source source = step.event().source();
            VectorRecord record;
            if (step.change() instanceof MappedChange.Upsert u) {
                record = new VectorRecord(VectorRecord.VERSION, task.id(), task.target().collection(),
                        VectorRecord.Op.UPSERT, u.key(), u.fields(),
                        Map.of(task.target().vector().name(), asList(vectorsByHash.get(step.textHash()))),
                        source.position(), source.tsMs(), step.textHash());
            } else {
                record = VectorRecord.delete(task.id(), task.target().collection(), step.change().key(),
                        source.position(), source.tsMs());
            }
            out.add(new ProducerRecord<>(vectorTopic, record.primaryKey(), EventJson.write(record)));
        }
        publisher.publishAll(out);
        progress.add("publishedRecords", out.size());
    }

    /** Fills in vectors from the cache, then embeds the remaining distinct texts in one batch. */
    private void embedMissing(List<Step> steps, Map<String, float[]> vectorsByHash) {
        if (vectorsByHash.isEmpty()) {
            return;
        }
        List<String> hashes = new ArrayList<>(vectorsByHash.keySet());
        List<float[]> cached = cache.get(vectorizer.modelId(), hashes);
        Map<String, String> textsToEmbed = new LinkedHashMap<>();
        for (int i = 0; i < hashes.size(); i++) {
            vectorsByHash.put(hashes.get(i), cached.get(i));
        }
        for (Step step : steps) {
            if (step.change() instanceof MappedChange.Upsert u && vectorsByHash.get(step.textHash()) == null) {
                textsToEmbed.putIfAbsent(step.textHash(), u.text());
            }
        }
        progress.add("cacheHits", hashes.size() - textsToEmbed.size());
        metrics.cache(hashes.size() - textsToEmbed.size(), textsToEmbed.size());
        if (textsToEmbed.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        List<float[]> vectors = vectorizer.embed(new ArrayList<>(textsToEmbed.values()));
        metrics.embedded(textsToEmbed.size(), System.nanoTime() - started);
        int i = 0;
        int dimension = task.target().vector().dimension();
        for (String hash : textsToEmbed.keySet()) {
            float[] vector = vectors.get(i++);
            if (vector.length != dimension) {
                throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "target.vector.dimension: "
                        + vectorizer.modelName() + " made a vector of " + vector.length + " dimensions, not " + dimension,
                        Map.of("field", "target.vector.dimension"), null);
            }
            vectorsByHash.put(hash, vector);
            cache.put(vectorizer.modelId(), hash, vector);
        }
        progress.add("textsEmbedded", textsToEmbed.size());
    }

    private static List<Float> asList(float[] vector) {
        List<Float> out = new ArrayList<>(vector.length);
        for (float v : vector) {
            out.add(v);
        }
        return out;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
