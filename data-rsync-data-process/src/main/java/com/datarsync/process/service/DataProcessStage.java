package com.datarsync.process.service;

import com.datarsync.common.stage.StageName;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.stage.kafka.AcknowledgedPublisher;
import com.datarsync.stage.kafka.CommittingBatchConsumer;
import com.datarsync.common.event.TopicNames;
import com.datarsync.stage.kafka.TopicProvisioner;
import com.datarsync.stage.AbstractTaskStage;
import com.datarsync.stage.StageMetrics;
import com.datarsync.stage.TaskProgress;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.process.domain.TextChunker;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.infra.VectorCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Service;

/** The processor's side of a task: consume changes, map and embed, publish vector records. */
@Service
public class DataProcessStage extends AbstractTaskStage {

    /** Makes each task's consumer (spring-kafka's factory over the stage's Kafka settings). */
    private final ConsumerFactory<String, byte[]> consumers;
    private final TopicProvisioner topics;
    private final AcknowledgedPublisher publisher;
    private final VectorCache cache;
    private final VectorizerRegistry vectorizers;

    public DataProcessStage(ConsumerFactory<String, byte[]> consumers, TopicProvisioner topics, AcknowledgedPublisher publisher,
            VectorCache cache, VectorizerRegistry vectorizers) {
        this.consumers = consumers;
        this.topics = topics;
        this.publisher = publisher;
        this.cache = cache;
        this.vectorizers = vectorizers;
    }

    @Override
    public String name() {
        return StageName.DATA_PROCESS.label();
    }

    /** data-process's limits are on texts sent per second to each embedding provider named. */
    @Override
    protected Map<String, Integer> rateLimits(SyncTaskDefinition.Limits limits) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        if (limits != null && limits.embeddingTextsPerSecond() != null) {
            limits.embeddingTextsPerSecond().forEach((provider, rate) -> out.put(CachedEmbedder.limitKind(provider),
                    rate));
        }
        return out;
    }

    /**
     * Loads every vector field's model now, so an unknown one, a wrong dimension or chunking by
     * tokens without a tokenizer is refused before the start.
     */
    @Override
    public void check(SyncTaskDefinition definition) {
        slots(definition, null);
    }

    /** Mapping and embedding depend on the tables' rules and the target; not on the source's address. */
    @Override
    public Object usedPart(SyncTaskDefinition definition) {
        return List.of(definition.tables(), definition.target());
    }

    @Override
    public List<String> cleanUp(SyncTaskDefinition definition, boolean dropTarget) {
        String group = groupId(definition.id());
        return topics.deleteConsumerGroup(group) ? List.of("consumer group " + group) : List.of();
    }

    private static String groupId(String taskId) {
        return "datarsync-process-" + taskId;
    }

    /** The task's vector slots; their embedding meters go with the task's other meters when {@code owner} records any. */
    private List<ChangeProcessor.VectorSlot> slots(SyncTaskDefinition definition, StageMetrics owner) {
        List<SyncTaskDefinition.VectorField> fields = definition.target().vectors();
        List<ChangeProcessor.VectorSlot> out = new ArrayList<>(fields.size());
        Map<Vectorizer, EmbeddingMetrics> metrics = new IdentityHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            SyncTaskDefinition.VectorField field = fields.get(i);
            SyncTaskDefinition.Embedding embedding = field.embedding();
            String at = "target.vectors[" + i + "]";
            Vectorizer vectorizer = vectorizers.get(embedding.provider(), embedding.model(), embedding.optionsOrEmpty(), at);
            // A remote model without a configured dimension shows it only in its answers: the
            // processor then checks every vector against the field (ChangeProcessor).
            if (vectorizer.dimension() != 0 && field.dimension() != vectorizer.dimension()) {
                throw refused(at + ".dimension", vectorizer.modelName() + " makes vectors of " + vectorizer.dimension()
                        + " dimensions, not " + field.dimension());
            }
            TextChunker chunker = null;
            if (embedding.chunking() != null) {
                if (embedding.chunking().by() == SyncTaskDefinition.ChunkUnit.TOKENS && vectorizer.tokenizer().isEmpty()) {
                    throw refused(at + ".embedding.chunking.by", embedding.provider() + " has no local tokenizer; "
                            + "use CHARACTERS");
                }
                chunker = new TextChunker(embedding.chunking(), vectorizer.tokenizer().orElse(null));
            }
            EmbeddingMetrics meters = owner == null || owner.registry() == null ? null
                    : metrics.computeIfAbsent(vectorizer, v -> new EmbeddingMetrics(owner, definition.id(), v));
            out.add(new ChangeProcessor.VectorSlot(i, field, vectorizer, chunker, meters));
        }
        return out;
    }

    private static DataRsyncException refused(String field, String reason) {
        return new DataRsyncException(ErrorCode.VALIDATION_FAILED, field + ": " + reason, Map.of("field", field), null);
    }

    /**
     * A search query's vector, made by the model of the task's vector field (the console's
     * playground): the same model and options the task embeds its rows with.
     */
    public float[] embedQuery(SyncTaskDefinition definition, String vectorField, String text) {
        List<SyncTaskDefinition.VectorField> fields = definition.target().vectors();
        for (int i = 0; i < fields.size(); i++) {
            SyncTaskDefinition.VectorField field = fields.get(i);
            if (field.name().equals(vectorField)) {
                SyncTaskDefinition.Embedding embedding = field.embedding();
                return vectorizers.get(embedding.provider(), embedding.model(), embedding.optionsOrEmpty(),
                        "target.vectors[" + i + "]").embed(List.of(text)).get(0);
            }
        }
        throw refused("vectorField", "the task has no vector field '" + vectorField + "'");
    }

    /**
     * What the task would write for these rows, embedded afresh and published nowhere: the
     * expected side of a verification's sample. By row key: {@code entities} and {@code rejected}.
     */
    public Map<String, Object> preview(SyncTaskDefinition definition, Map<String, ChangeEvent> rows) {
        ChangeProcessor processor = new ChangeProcessor(definition, slots(definition, null), cache, publisher,
                new TaskProgress(definition.id(), name(), 0, null, rateLimits()));
        ChangeProcessor.Preview preview = processor.preview(rows);
        return Map.of("entities", preview.entities(), "rejected", preview.rejected());
    }

    @Override
    protected Runner launch(SyncTaskDefinition definition, TaskProgress progress) {
        String id = definition.id();
        topics.ensure(List.of(TopicNames.changes(id), TopicNames.vectors(id), TopicNames.deadLetters(id)), definition.partitions());
        ChangeProcessor processor = new ChangeProcessor(definition, slots(definition, progress.metrics()), cache,
                publisher, progress);
        CommittingBatchConsumer consumer = new CommittingBatchConsumer(consumers, groupId(id),
                TopicNames.changes(id), 256, Duration.ofMillis(20), processor, progress);
        consumer.start();
        return consumer;
    }
}
