package com.datarsync.listener;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Debezium engines: snapshot and log streaming of source databases into Kafka change topics. */
@SpringBootApplication
public class LogListenerApplication {

    public static void main(String[] args) {
        SpringApplication.run(LogListenerApplication.class, args);
    }
}
