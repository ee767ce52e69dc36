package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Filebeat configuration we ship (deploy/logging/filebeat.yml) parses the services' real
 * log lines: Filebeat (built by the local script) reads the suite's log directory with that file,
 * its output goes to a file instead of Logstash, and every event is compared with the line at its
 * offset: every field of the line is in the event with the same value, @timestamp is the line's
 * own time (to the millisecond Elasticsearch keeps), no decoding error, and every line that was in
 * the files when Filebeat started is shipped exactly once.
 */
class LogShippingIT extends RunningSuite {

    private static final String FILEBEAT_VERSION = "7.17.29";
    /** Fields the configuration drops on purpose (the encoder's bookkeeping). */
    private static final Set<String> DROPPED = Set.of("@version", "level_value");

    @Test
    void filebeatShipsEveryServiceLineWithAllItsFields(@TempDir Path scratch) throws Exception {
        LocalInfra infra = LocalInfra.get();
        String configured = System.getenv("DATARSYNC_LOG_DIR");
        Path logDir = configured != null && !configured.isBlank() ? Path.of(configured)
                : infra.work().resolve("logs/services");
        Map<Path, Long> sizes = new HashMap<>();
        try (Stream<Path> files = Files.list(logDir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".json")).forEach(f -> sizes.put(f, size(f)));
        }
        assertThat(sizes.keySet()).as("service log files in " + logDir).hasSizeGreaterThanOrEqualTo(8);
        Map<Path, List<Long>> lineStarts = new HashMap<>();
        long lines = 0;
        for (Map.Entry<Path, Long> file : sizes.entrySet()) {
            lineStarts.put(file.getKey(), lineStarts(file.getKey(), file.getValue()));
            lines += lineStarts.get(file.getKey()).size();
        }

        Path out = scratch.resolve("out");
        ProcessBuilder command = new ProcessBuilder(filebeat().toString(), "-c",
                infra.repo().resolve("deploy/logging/filebeat.yml").toString(), "--strict.perms=false",
                "-E", "output.logstash.enabled=false", "-E", "output.file.path=" + out,
                "-E", "output.file.filename=events", "-E", "output.file.rotate_every_kb=1048576",
                "-E", "path.data=" + scratch.resolve("data"), "-E", "path.logs=" + scratch.resolve("logs"))
                .redirectErrorStream(true).redirectOutput(scratch.resolve("filebeat.out").toFile());
        // The configuration reads ${DATARSYNC_LOG_DIR}/*.json, as it would on a user's host.
        command.environment().put("DATARSYNC_LOG_DIR", logDir.toString());
        Process filebeat = command.start();
        Map<Path, Map<Long, JsonNode>> shipped = new HashMap<>();
        try {
            await("Filebeat shipped the " + lines + " lines").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2)).until(() -> {
                        shipped.clear();
                        readEvents(out, shipped);
                        return lineStarts.entrySet().stream().allMatch(e -> shipped.getOrDefault(e.getKey(), Map.of())
                                .keySet().containsAll(e.getValue()));
                    });
        } finally {
            filebeat.destroy();
            filebeat.waitFor(20, TimeUnit.SECONDS);
        }

        long compared = 0;
        for (Map.Entry<Path, List<Long>> file : lineStarts.entrySet()) {
            Map<Long, JsonNode> events = shipped.get(file.getKey());
            for (long offset : file.getValue()) {
                JsonNode line = JSON.readTree(lineAt(file.getKey(), offset));
                assertSameFields(line, events.get(offset), file.getKey() + " at " + offset);
                compared++;
            }
        }
        assertThat(compared).isEqualTo(lines);
        System.out.printf("Filebeat %s shipped %,d lines of %d service log files; every field checked%n",
                FILEBEAT_VERSION, compared, sizes.size());
    }

    private static void assertSameFields(JsonNode line, JsonNode event, String where) {
        assertThat(event).as("event of " + where).isNotNull();
        assertThat(event.has("error")).as(where + ": " + event.path("error")).isFalse();
        assertThat(Instant.parse(event.path("@timestamp").asText()))
                .as(where + " @timestamp").isEqualTo(Instant.parse(line.path("@timestamp").asText())
                        .truncatedTo(ChronoUnit.MILLIS));
        assertThat(event.path("log_type").asText()).isEqualTo("datarsync");
        for (Iterator<String> names = line.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (name.equals("@timestamp")) {
                continue;
            }
            if (DROPPED.contains(name)) {
                assertThat(event.has(name)).as(where + ": " + name + " dropped").isFalse();
                continue;
            }
            assertThat(event.get(name)).as(where + ": field " + name).isEqualTo(line.get(name));
        }
    }

    /** Filebeat's output: one event per line; each names its file and the offset of its line there. */
    private static void readEvents(Path out, Map<Path, Map<Long, JsonNode>> shipped) throws IOException {
        if (!Files.isDirectory(out)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> all = Files.list(out)) {
            files = new ArrayList<>(all.sorted().toList());
        }
        for (Path file : files) {
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (raw.isBlank()) {
                    continue;
                }
                JsonNode event;
                try {
                    event = JSON.readTree(raw);
                } catch (com.fasterxml.jackson.core.JsonProcessingException stillBeingWritten) {
                    continue; // the file's last line, read while Filebeat writes it: next poll
                }
                Path source = Path.of(event.path("log").path("file").path("path").asText());
                JsonNode previous = shipped.computeIfAbsent(source, p -> new HashMap<>())
                        .put(event.path("log").path("offset").asLong(), event);
                assertThat(previous).as("line at " + event.path("log").path("offset") + " of " + source
                        + " shipped twice").isNull();
            }
        }
    }

    /** Where each complete line of the first {@code size} bytes of the file begins. */
    private static List<Long> lineStarts(Path file, long size) throws IOException {
        List<Long> starts = new ArrayList<>();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] buffer = new byte[64 * 1024];
            long start = 0;
            long position = 0;
            while (position < size) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - position));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        starts.add(start);
                        start = position + i + 1;
                    }
                }
                position += n;
            }
        }
        return starts;
    }

    private static String lineAt(Path file, long offset) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            return line.toString(StandardCharsets.UTF_8);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The Filebeat the local script builds ({@code datarsync install}). */
    private static Path filebeat() {
        String tools = System.getenv("DATARSYNC_TOOLS");
        Path base = tools != null && !tools.isBlank() ? Path.of(tools)
                : Path.of(System.getProperty("user.home"), ".local/share/datarsync");
        Path binary = base.resolve("filebeat-" + FILEBEAT_VERSION + "/filebeat");
        assertThat(binary).as("Filebeat, built by deploy/local/datarsync install").isExecutable();
        return binary;
    }
}
