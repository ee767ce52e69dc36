package com.datarsync.process.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.kafka.AcknowledgedPublisher;
import com.datarsync.common.kafka.CommittingBatchConsumer;
import com.datarsync.common.kafka.KafkaSettings;
import com.datarsync.common.kafka.TopicNames;
import com.datarsync.common.kafka.TopicProvisioner;
import com.datarsync.common.stage.TaskProgress;
import com.datarsync.common.stage.TaskStage;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.process.infra.OnnxLocalEmbedder;
import com.datarsync.process.infra.TextEmbedder;
import com.datarsync.process.infra.VectorCache;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/** The processor's side of a task: consume changes, map and embed, publish vector records. */
@Service
public class DataProcessStage implements TaskStage {

    private final KafkaSettings kafka;
    private final TopicProvisioner topics;
    private final AcknowledgedPublisher publisher;
    private final VectorCache cache;
    private final TextEmbedder embedder;
    private final Map<String, CommittingBatchConsumer> consumers = new ConcurrentHashMap<>();
    private final Map<String, TaskProgress> progress = new ConcurrentHashMap<>();

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
    public synchronized TaskProgress start(SyncTaskDefinition definition) {
        String id = definition.id();
        topics.ensure(List.of(TopicNames.changes(id), TopicNames.vectors(id), TopicNames.deadLetters(id)));
        TaskProgress taskProgress = new TaskProgress(id, name());
        ChangeProcessor processor = new ChangeProcessor(definition, embedder, cache, publisher, taskProgress);
        CommittingBatchConsumer consumer = new CommittingBatchConsumer(kafka, "datarsync-process-" + id,
                TopicNames.changes(id), 256, Duration.ofMillis(20), processor, taskProgress);
        progress.put(id, taskProgress);
        consumers.put(id, consumer);
        consumer.start();
        return taskProgress;
    }

    @Override
    public synchronized void stop(String taskId) {
        CommittingBatchConsumer consumer = consumers.remove(taskId);
        if (consumer != null) {
            consumer.stop();
            progress.get(taskId).stopped();
        }
    }

    @Override
    public Optional<TaskProgress> progress(String taskId) {
        return Optional.ofNullable(progress.get(taskId));
    }

    @PreDestroy
    void stopAll() {
        consumers.keySet().forEach(this::stop);
    }
}
