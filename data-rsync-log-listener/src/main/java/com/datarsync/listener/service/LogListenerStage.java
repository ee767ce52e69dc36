package com.datarsync.listener.service;

import com.datarsync.common.kafka.AcknowledgedPublisher;
import com.datarsync.common.kafka.TopicNames;
import com.datarsync.common.kafka.TopicProvisioner;
import com.datarsync.common.stage.AbstractTaskStage;
import com.datarsync.common.stage.TaskProgress;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.listener.infra.DebeziumProperties;
import java.util.List;
import java.util.Properties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** The listener's side of a task: one Debezium engine per task, publishing to its change topic. */
@Service
public class LogListenerStage extends AbstractTaskStage {

    private final AcknowledgedPublisher publisher;
    private final TopicProvisioner topics;
    private final String redisAddress;

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
    protected Runner launch(SyncTaskDefinition definition, TaskProgress progress) {
        Properties properties = DebeziumProperties.of(definition, redisAddress, System.getenv());
        topics.ensure(List.of(TopicNames.changes(definition.id()), TopicNames.deadLetters(definition.id())));
        CaptureEngine engine = new CaptureEngine(definition, properties, publisher, progress);
        engine.start();
        return engine;
    }
}
