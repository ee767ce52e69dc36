package com.datarsync.stage.config;

import com.datarsync.stage.TaskRateLimits;
import com.datarsync.stage.TaskStage;
import com.datarsync.stage.TaskStageController;
import com.datarsync.stage.TaskStageService;

import com.datarsync.stage.kafka.AcknowledgedPublisher;
import com.datarsync.stage.kafka.CommittingBatchConsumer;
import com.datarsync.stage.kafka.KafkaSettings;
import com.datarsync.stage.kafka.TopicProvisioner;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerFactory;
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

    /** The stages' producers: idempotent, acks=all (AcknowledgedPublisher.producerSettings). */
    @Bean
    ProducerFactory<String, byte[]> stageProducerFactory(KafkaSettings settings,
            @Value("${spring.application.name}") String name) {
        return new DefaultKafkaProducerFactory<>(AcknowledgedPublisher.producerSettings(settings, name),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** The stages' consumers; each task's consumer adds its group and batch settings (CommittingBatchConsumer). */
    @Bean
    ConsumerFactory<String, byte[]> stageConsumerFactory(KafkaSettings settings) {
        return CommittingBatchConsumer.consumerFactory(settings);
    }

    @Bean(destroyMethod = "close")
    AcknowledgedPublisher acknowledgedPublisher(ProducerFactory<String, byte[]> producers) {
        return new AcknowledgedPublisher(producers);
    }

    /** The process's one set of rate limits (Sentinel's rules are per process). */
    @Bean
    TaskRateLimits taskRateLimits() {
        return new TaskRateLimits();
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
