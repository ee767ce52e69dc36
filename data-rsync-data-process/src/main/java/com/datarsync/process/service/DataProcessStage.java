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
import com.datarsync.process.infra.OnnxLocalEmbedder;
import com.datarsync.process.infra.TextEmbedder;
import com.datarsync.process.infra.VectorCache;
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
    private final TextEmbedder embedder;

    public DataProcessStage(KafkaSettings kafka, TopicProvisioner topics, AcknowledgedPublisher publisher,
            VectorCache cache, TextEmbedder embedder) {
        this.kafka = kafka;
        this.topics = topics;
        this.publisher = publisher;
        this.cache = cache;
        this.embedder = embedder;
    }

    @Override
    public String name() {
        return "data-process";
    }

    @Override
    public void check(SyncTaskDefinition definition) {
        if (!OnnxLocalEmbedder.MODEL.equals(definition.embedding().model())) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "embedding.model: '" + definition.embedding().model()
                    + "' is not a model of onnx-local; known: " + OnnxLocalEmbedder.MODEL,
                    Map.of("field", "embedding.model"), null);
        }
        if (definition.target().vector().dimension() != embedder.dimension()) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "target.vector.dimension: " + OnnxLocalEmbedder.MODEL
                    + " makes vectors of " + embedder.dimension() + " dimensions, not "
                    + definition.target().vector().dimension(), Map.of("field", "target.vector.dimension"), null);
        }
    }

    @Override
    protected Runner launch(SyncTaskDefinition definition, TaskProgress progress) {
        String id = definition.id();
        topics.ensure(List.of(TopicNames.changes(id), TopicNames.vectors(id), TopicNames.deadLetters(id)));
        ChangeProcessor processor = new ChangeProcessor(definition, embedder, cache, publisher, progress);
        CommittingBatchConsumer consumer = new CommittingBatchConsumer(kafka, "datarsync-process-" + id,
                TopicNames.changes(id), 256, Duration.ofMillis(20), processor, progress);
        consumer.start();
        return consumer;
    }
}
