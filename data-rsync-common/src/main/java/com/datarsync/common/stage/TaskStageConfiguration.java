package com.datarsync.common.stage;

import com.datarsync.common.kafka.AcknowledgedPublisher;
import com.datarsync.common.kafka.KafkaSettings;
import com.datarsync.common.kafka.TopicProvisioner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Imported by the data-path services: wires the worker endpoints the task manager calls to the service's {@link TaskStage}. */
@Configuration(proxyBeanMethods = false)
@Import(TaskStageController.class)
@EnableConfigurationProperties(KafkaSettings.class)
public class TaskStageConfiguration {

    @Bean
    TopicProvisioner topicProvisioner(KafkaSettings settings) {
        return new TopicProvisioner(settings);
    }

    @Bean(destroyMethod = "close")
    AcknowledgedPublisher acknowledgedPublisher(KafkaSettings settings, @Value("${spring.application.name}") String name) {
        return new AcknowledgedPublisher(settings, name);
    }

    @Bean
    TaskStageService taskStageService(TaskStage stage) {
        return new TaskStageService(stage);
    }

    /**
     * Stages once kept their tasks' definitions (literal passwords included) in Redis and resumed
     * them on their own. The task manager owns that now: the old hash is removed on start.
     */
    @Bean
    ApplicationRunner legacyTaskStoreRemoval(StringRedisTemplate redis, TaskStage stage) {
        return args -> redis.delete("datarsync:stage:" + stage.name() + ":tasks");
    }
}
