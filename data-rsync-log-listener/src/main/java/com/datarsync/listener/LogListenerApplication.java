package com.datarsync.listener;

import com.datarsync.stage.config.TaskStageConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Debezium engines: snapshot and log streaming of source databases into Kafka change topics. */
@SpringBootApplication
@Import(TaskStageConfiguration.class)
public class LogListenerApplication {

    public static void main(String[] args) {
        SpringApplication.run(LogListenerApplication.class, args);
    }
}
