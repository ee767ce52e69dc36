package com.datarsync.monitor.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.monitor.domain.LogLine;
import com.datarsync.monitor.domain.LogQuery;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log search over files laid out as logback-spring.xml writes them: current files and gzip
 * archives, lines written as the services' encoder writes them (timestamp first).
 */
class LogSearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;
    private LogSearch search;

    private static String line(Instant at, String service, String level, String task, String message, String stack) {
        ObjectNode node = JSON.createObjectNode();
        node.put("@timestamp", at.toString());
        node.put("@version", "1");
        node.put("message", message);
        node.put("logger_name", "com.datarsync.Probe");
        node.put("thread_name", "t");
        node.put("level", level);
        node.put("level_value", 0);
        if (task != null) {
            node.put("task", task);
        }
        if (stack != null) {
            node.put("stack_trace", stack);
        }
        node.put("service", "data-rsync-" + service);
        return node.toString();
    }

    /** A line of one of Debezium's threads: no task field, the connector named instead. */
    private static String debeziumLine(Instant at, String connector, String message) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(line(at, "log-listener", "ERROR", null, message, null));
        node.put("dbz.connectorLogicalName", connector);
        return node.toString();
    }

    private void write(String file, Instant modified, String... lines) throws IOException {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (file.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
                out.write(text);
            }
        } else {
            Files.write(path, text);
        }
        Files.setLastModifiedTime(path, FileTime.from(modified));
    }

    @BeforeEach
    void files() throws IOException {
        write("data-rsync-log-listener.json", T.plusSeconds(600),
                line(T.plusSeconds(10), "log-listener", "INFO", "a", "capture started", null),
                debeziumLine(T.plusSeconds(12), "drs_a", "Connection to the server failed"),
                line(T.plusSeconds(20), "log-listener", "ERROR", "a", "Capture of task a stopped", "java.io.IOException: eof"),
                "not json at all",
                line(T.plusSeconds(30), "log-listener", "ERROR", "b", "Capture of task b stopped", null),
                line(T.plusSeconds(700), "log-listener", "ERROR", "a", "outside the window", null));
        write("data-rsync-milvus-sync.json", T.plusSeconds(600),
                line(T.plusSeconds(15), "milvus-sync", "WARN", "a", "Milvus refused the data", null),
                line(T.plusSeconds(25), "milvus-sync", "ERROR", "a", "Consumer stopped", "DRS-4092 records deleted"));
        write("archive/data-rsync-data-process.2026-12-01.0.json.gz", T.plusSeconds(60),
                line(T.plusSeconds(5), "data-process", "ERROR", "a", "Consumer of drs.changes.a stopped", null));
        // A day the window does not touch: never opened, whatever it holds.
        write("archive/data-rsync-data-process.2026-11-20.0.json.gz", T.plusSeconds(60),
                line(T.plusSeconds(6), "data-process", "ERROR", "a", "misfiled line", null));
        // Last written before the window: cannot hold its lines.
        write("data-rsync-auth.json", T.minusSeconds(3600),
                line(T.minusSeconds(3700), "auth", "ERROR", null, "old", null));
        search = new LogSearch(dir.toString());
    }

    private static LogQuery query(Set<String> services, LogQuery.Level level, String task, String text, int limit) {
        return new LogQuery(T, T.plusSeconds(600), services, level, task, text, limit);
    }

    @Test
    void aTasksErrorLinesFromEveryServiceInTheWindowNewestFirst() {
        LogSearch.Result result = search.search(query(Set.of(), LogQuery.Level.ERROR, "a", null, 100));

        assertThat(result.lines()).extracting(LogLine::message).containsExactly("Consumer stopped",
                "Capture of task a stopped", "Connection to the server failed", "Consumer of drs.changes.a stopped");
        assertThat(result.lines()).extracting(LogLine::service)
                .containsExactly("milvus-sync", "log-listener", "log-listener", "data-process");
        assertThat(result.lines()).extracting(LogLine::task).containsOnly("a");
        assertThat(result.lines().get(1).stackTrace()).isEqualTo("java.io.IOException: eof");
        assertThat(result.matched()).isEqualTo(4);
        assertThat(result.truncated()).isFalse();
        // The current files of log-listener and milvus-sync and the one archive of the window's day.
        assertThat(result.filesRead()).isEqualTo(3);
    }

    @Test
    void levelIsTheLowestAnsweredAndTextSearchesMessageAndStackTrace() {
        assertThat(search.search(query(Set.of(), LogQuery.Level.WARN, "a", null, 100)).lines())
                .extracting(LogLine::level).containsOnly("WARN", "ERROR").hasSize(5);
        assertThat(search.search(query(Set.of(), null, null, "drs-4092", 100)).lines())
                .extracting(LogLine::message).containsExactly("Consumer stopped");
        assertThat(search.search(query(Set.of(), null, null, "CAPTURE OF TASK", 100)).lines())
                .extracting(LogLine::task).containsExactly("b", "a");
    }

    @Test
    void servicesByShortOrFullNameAndTheNewestLinesWhenMoreMatch() {
        LogSearch.Result some = search.search(query(Set.of("log-listener", "data-rsync-milvus-sync"), null, null, null, 2));

        assertThat(some.lines()).extracting(LogLine::timestamp).containsExactly(T.plusSeconds(30), T.plusSeconds(25));
        assertThat(some.matched()).isEqualTo(6);
        assertThat(some.truncated()).isTrue();
        assertThat(some.filesRead()).isEqualTo(2);
    }

    @Test
    void theWidestWindowAnInstantCanNameReadsEveryFile() {
        LogSearch.Result all = search.search(new LogQuery(Instant.MIN, Instant.MAX, Set.of(), null, null, null, 1000));

        assertThat(all.filesRead()).isEqualTo(5);
        assertThat(all.lines()).extracting(LogLine::message).contains("old", "misfiled line", "outside the window");
    }

    @Test
    void aWindowThatEndsBeforeItBeginsOrAnOversizedLimitIsRefused() {
        assertThatThrownBy(() -> search.search(new LogQuery(T, T, Set.of(), null, null, null, 10)))
                .isInstanceOf(DataRsyncException.class).hasMessageContaining("from: must be before to");
        assertThatThrownBy(() -> search.search(query(Set.of(), null, null, null, LogQuery.MAX_LIMIT + 1)))
                .isInstanceOf(DataRsyncException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> new LogSearch("").search(query(Set.of(), null, null, null, 10)))
                .isInstanceOf(DataRsyncException.class).hasMessageContaining("DATARSYNC_LOG_DIR");
    }
}
