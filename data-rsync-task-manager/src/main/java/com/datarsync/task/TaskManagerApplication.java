package com.datarsync.task;

import com.datarsync.stage.kafka.KafkaSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Sync tasks, schedules (XXL-Job executor with a built-in fallback), locks, dependencies and progress. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties(KafkaSettings.class)
@EnableScheduling
public class TaskManagerApplication {

    public static void main(String[] args) {
        SpringApplication.run(TaskManagerApplication.class, args);
    }
}
