package com.datarsync.milvus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Vector topics to batched Milvus upserts and deletes, dead-letter handling and verification. */
@SpringBootApplication
public class MilvusSyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(MilvusSyncApplication.class, args);
    }
}
