package com.datarsync.task;

import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;

import com.datarsync.stage.kafka.KafkaSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Sync tasks, schedules (XXL-Job executor with a built-in fallback), locks, dependencies and progress. */
// Kafka clients come from the stage runtime's own factories (TaskStageConfiguration); Boot's Kafka
// auto-configuration would add a KafkaTemplate and admin on spring.kafka.* that nothing uses.
@SpringBootApplication(exclude = KafkaAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableConfigurationProperties(KafkaSettings.class)
@EnableScheduling
public class TaskManagerApplication {

    public static void main(String[] args) {
        SpringApplication.run(TaskManagerApplication.class, args);
    }
}
