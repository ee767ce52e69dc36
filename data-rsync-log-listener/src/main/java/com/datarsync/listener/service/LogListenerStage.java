package com.datarsync.listener.service;

import com.datarsync.common.kafka.AcknowledgedPublisher;
import com.datarsync.common.kafka.TopicNames;
import com.datarsync.common.kafka.TopicProvisioner;
import com.datarsync.common.stage.TaskProgress;
import com.datarsync.common.stage.TaskStage;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.infra.DebeziumProperties;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** The listener's side of a task: one Debezium engine per task, publishing to its change topic. */
@Service
public class LogListenerStage implements TaskStage {

    private final AcknowledgedPublisher publisher;
    private final TopicProvisioner topics;
    private final String redisAddress;
    private final Map<String, CaptureEngine> engines = new ConcurrentHashMap<>();
    private final Map<String, TaskProgress> progress = new ConcurrentHashMap<>();

    public LogListenerStage(AcknowledgedPublisher publisher, TopicProvisioner topics,
            @Value("${spring.data.redis.host}:${spring.data.redis.port}") String redisAddress) {
        this.publisher = publisher;
        this.topics = topics;
        this.redisAddress = redisAddress;
    }

    @Override
    public String name() {
        return "log-listener";
    }

    @Override
    public void check(SyncTaskDefinition definition) {
        // Resolves the password now, so a missing environment variable is refused before the start.
        DebeziumProperties.of(definition, redisAddress, System.getenv());
    }

    @Override
    public synchronized TaskProgress start(SyncTaskDefinition definition) {
        Properties properties = DebeziumProperties.of(definition, redisAddress, System.getenv());
        topics.ensure(List.of(TopicNames.changes(definition.id()), TopicNames.deadLetters(definition.id())));
        TaskProgress taskProgress = new TaskProgress(definition.id(), name());
        CaptureEngine engine = new CaptureEngine(definition, properties, publisher, taskProgress);
        progress.put(definition.id(), taskProgress);
        engines.put(definition.id(), engine);
        engine.start();
        return taskProgress;
    }

    @Override
    public synchronized void stop(String taskId) {
        CaptureEngine engine = engines.remove(taskId);
        if (engine != null) {
            engine.stop();
        }
    }

    @Override
    public Optional<TaskProgress> progress(String taskId) {
        return Optional.ofNullable(progress.get(taskId));
    }

    /** A graceful shutdown stops every engine so their last offsets are flushed; the tasks stay remembered. */
    @PreDestroy
    void stopAll() {
        engines.keySet().forEach(this::stop);
    }
}
