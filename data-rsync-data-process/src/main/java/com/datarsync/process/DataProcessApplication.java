package com.datarsync.process;

import com.datarsync.stage.config.TaskStageConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Maps captured rows, renders the text to embed, embeds it and publishes vector records. */
@SpringBootApplication
@Import(TaskStageConfiguration.class)
public class DataProcessApplication {

    public static void main(String[] args) {
        SpringApplication.run(DataProcessApplication.class, args);
    }
}
