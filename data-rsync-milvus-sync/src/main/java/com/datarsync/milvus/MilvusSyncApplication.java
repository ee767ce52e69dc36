package com.datarsync.milvus;

import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;

import com.datarsync.stage.config.TaskStageConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Writes vector records to Milvus: batched, collapsed per key, upserts and deletes. */
// Kafka clients come from the stage runtime's own factories (TaskStageConfiguration); Boot's Kafka
// auto-configuration would add a KafkaTemplate and admin on spring.kafka.* that nothing uses.
@SpringBootApplication(exclude = KafkaAutoConfiguration.class)
@Import(TaskStageConfiguration.class)
public class MilvusSyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(MilvusSyncApplication.class, args);
    }
}
