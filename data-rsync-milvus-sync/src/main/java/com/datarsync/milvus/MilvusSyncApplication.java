package com.datarsync.milvus;

import com.datarsync.stage.config.TaskStageConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Writes vector records to Milvus: batched, collapsed per key, upserts and deletes. */
@SpringBootApplication
@Import(TaskStageConfiguration.class)
public class MilvusSyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(MilvusSyncApplication.class, args);
    }
}
