package com.datarsync.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfraTest {

    @Test
    void readsPlainQuotedAndShellDefaultForms(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.env");
        Files.write(file, List.of(
                "# comment",
                ": \"${DATARSYNC_REDIS_PORT:=16379}\"",
                "DATARSYNC_DB_PASSWORD='s3cr=t'",
                "export DATARSYNC_DB_USER=\"datarsync\"",
                ""));

        assertThat(LocalInfra.readEnvFile(file))
                .containsEntry("DATARSYNC_REDIS_PORT", "16379")
                .containsEntry("DATARSYNC_DB_PASSWORD", "s3cr=t")
                .containsEntry("DATARSYNC_DB_USER", "datarsync")
                .hasSize(3);
    }

    @Test
    void missingFileIsEmpty(@TempDir Path dir) {
        assertThat(LocalInfra.readEnvFile(dir.resolve("absent.env"))).isEmpty();
    }
}
