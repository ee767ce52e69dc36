package com.datarsync.listener;

import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;

import com.datarsync.stage.config.TaskStageConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Debezium engines: snapshot and log streaming of source databases into Kafka change topics. */
// Kafka clients come from the stage runtime's own factories (TaskStageConfiguration); Boot's Kafka
// auto-configuration would add a KafkaTemplate and admin on spring.kafka.* that nothing uses.
@SpringBootApplication(exclude = KafkaAutoConfiguration.class)
@Import(TaskStageConfiguration.class)
public class LogListenerApplication {

    public static void main(String[] args) {
        SpringApplication.run(LogListenerApplication.class, args);
    }
}
