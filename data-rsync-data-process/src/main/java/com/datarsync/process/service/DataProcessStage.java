package com.datarsync.process.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.kafka.AcknowledgedPublisher;
import com.datarsync.common.kafka.CommittingBatchConsumer;
import com.datarsync.common.kafka.KafkaSettings;
import com.datarsync.common.kafka.TopicNames;
import com.datarsync.common.kafka.TopicProvisioner;
import com.datarsync.common.stage.AbstractTaskStage;
import com.datarsync.common.stage.TaskProgress;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.infra.VectorCache;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/** The processor's side of a task: consume changes, map and embed, publish vector records. */
@Service
public class DataProcessStage extends AbstractTaskStage {

    private final KafkaSettings kafka;
    private final TopicProvisioner topics;
    private final AcknowledgedPublisher publisher;
    private final VectorCache cache;
    private final VectorizerRegistry vectorizers;
    private final MeterRegistry meters;

    public DataProcessStage(KafkaSettings kafka, TopicProvisioner topics, AcknowledgedPublisher publisher,
            VectorCache cache, VectorizerRegistry vectorizers, MeterRegistry meters) {
        this.kafka = kafka;
        this.topics = topics;
        this.publisher = publisher;
        this.cache = cache;
        this.vectorizers = vectorizers;
        this.meters = meters;
    }

    @Override
    public String name() {
        return "data-process";
    }

    /** Loads the model now, so an unknown one or a wrong dimension is refused before the start. */
    @Override
    public void check(SyncTaskDefinition definition) {
        Vectorizer vectorizer = vectorizer(definition);
        // A remote model without a configured dimension shows it only in its answers: the
        // processor then checks every vector against the target (ChangeProcessor).
        if (vectorizer.dimension() != 0 && definition.target().vector().dimension() != vectorizer.dimension()) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "target.vector.dimension: " + vectorizer.modelName()
                    + " makes vectors of " + vectorizer.dimension() + " dimensions, not "
                    + definition.target().vector().dimension(), Map.of("field", "target.vector.dimension"), null);
        }
    }

    private Vectorizer vectorizer(SyncTaskDefinition definition) {
        return vectorizers.get(definition.embedding().provider(), definition.embedding().model(),
                definition.embedding().optionsOrEmpty());
    }

    @Override
    protected Runner launch(SyncTaskDefinition definition, TaskProgress progress) {
        String id = definition.id();
        topics.ensure(List.of(TopicNames.changes(id), TopicNames.vectors(id), TopicNames.deadLetters(id)));
        Vectorizer vectorizer = vectorizer(definition);
        ChangeProcessor processor = new ChangeProcessor(definition, vectorizer, cache, publisher, progress,
                new EmbeddingMetrics(meters, id, vectorizer));
        CommittingBatchConsumer consumer = new CommittingBatchConsumer(kafka, "datarsync-process-" + id,
                TopicNames.changes(id), 256, Duration.ofMillis(20), processor, progress);
        consumer.start();
        return consumer;
    }
}
