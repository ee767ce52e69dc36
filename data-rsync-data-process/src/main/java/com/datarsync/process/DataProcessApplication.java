package com.datarsync.process;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Change topics to mapped, cleaned and vectorised records on Kafka vector topics. */
@SpringBootApplication
public class DataProcessApplication {

    public static void main(String[] args) {
        SpringApplication.run(DataProcessApplication.class, args);
    }
}
