package com.datarsync.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Boots a bare Spring application with the shared logging set-up and reads what it prints:
 * every line is a JSON object naming the service, and secrets inside messages are masked, on
 * stdout and, with DATARSYNC_LOG_DIR set, in the service's log file.
 */
@ExtendWith(OutputCaptureExtension.class)
class JsonLoggingTest {

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    /** Boots the bare application, logs the two probe lines and closes it. */
    private static void logProbes() {
        try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .properties("spring.application.name=data-rsync-logtest", "spring.main.banner-mode=off",
                        "spring.cloud.nacos.config.enabled=false", "spring.cloud.nacos.discovery.enabled=false",
                        "spring.cloud.nacos.config.import-check.enabled=false")
                .run()) {
            LoggerFactory.getLogger("probe").info("connecting with password=hunter2secret token: abc.def.ghi");
            LoggerFactory.getLogger("probe").warn("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig");
        }
    }

    @Test
    void linesAreJsonWithServiceNameAndMaskedSecrets(CapturedOutput output, @TempDir Path dir) throws Exception {
        // The suite's test command sets DATARSYNC_LOG_DIR for its services: not for this file.
        System.setProperty("DATARSYNC_LOG_DIR", dir.toString());
        try {
            logProbes();
        } finally {
            System.clearProperty("DATARSYNC_LOG_DIR");
        }
        assertProbes(output.getOut());
    }

    @Test
    void withALogDirectoryTheSameLinesGoToTheServicesFile(@TempDir Path dir) throws Exception {
        System.setProperty("DATARSYNC_LOG_DIR", dir.toString());
        try {
            logProbes();
        } finally {
            System.clearProperty("DATARSYNC_LOG_DIR");
        }
        Path file = dir.resolve("data-rsync-logtest.json");
        assertThat(file).exists();
        assertProbes(Files.readString(file));
    }

    private static void assertProbes(String lines) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> probe = new ArrayList<>();
        for (String line : lines.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(line); // throws if any line is not JSON
            if ("probe".equals(node.path("logger_name").asText())) {
                probe.add(node);
            }
        }
        assertThat(probe).hasSize(2);
        assertThat(probe).allSatisfy(n -> assertThat(n.path("service").asText()).isEqualTo("data-rsync-logtest"));
        assertThat(probe.get(0).path("message").asText())
                .doesNotContain("hunter2secret").doesNotContain("abc.def.ghi").contains("password=****");
        assertThat(probe.get(1).path("message").asText()).doesNotContain("eyJhbGciOiJIUzI1NiJ9").contains("Bearer ****");
    }
}
