package com.datarsync.monitor.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.monitor.domain.LogLine;
import com.datarsync.monitor.domain.LogQuery;
import com.datarsync.monitor.infra.LogFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Searches the services' log files ({@link LogFiles}) in {@code datarsync.monitor.log-dir}: the
 * newest lines of a window that match a {@link LogQuery}, merged across services. The files are
 * the store: they are written anyway, rolled and pruned by Logback, need no further server, and
 * what Filebeat ships to ELK is the same lines (deploy/logging). A suite spread over hosts puts
 * the directory on shared storage, or searches in Kibana instead.
 */
@Service
public class LogSearch {

    private static final Logger log = LoggerFactory.getLogger(LogSearch.class);
    private static final Comparator<LogLine> OLDEST_FIRST = Comparator.comparing(LogLine::timestamp);

    private final LogFiles files;
    private final ObjectMapper json = new ObjectMapper();

    public LogSearch(@Value("${datarsync.monitor.log-dir:}") String logDir) {
        this.files = logDir.isBlank() ? null : new LogFiles(Path.of(logDir));
    }

    /** @param matched every matching line of the window; {@code lines} holds the newest {@code limit} of them */
    public record Result(List<LogLine> lines, long matched, boolean truncated, int filesRead, long linesRead) {
    }

    public Result search(LogQuery query) {
        List<String> violations = query.violations();
        if (!violations.isEmpty()) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, String.join("; ", violations),
                    Map.of("violations", violations), null);
        }
        if (files == null) {
            throw new DataRsyncException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Log search needs the services' log directory: set DATARSYNC_LOG_DIR for them and the monitor",
                    Map.of(), null);
        }
        PriorityQueue<LogLine> newest = new PriorityQueue<>(OLDEST_FIRST);
        long matched = 0;
        long read = 0;
        List<LogFiles.LogFile> covering = files.covering(query.from(), query.to(), query.services());
        for (LogFiles.LogFile file : covering) {
            try (BufferedReader lines = LogFiles.open(file)) {
                for (String raw = lines.readLine(); raw != null; raw = lines.readLine()) {
                    read++;
                    Optional<LogLine> line = parse(raw, query);
                    if (line.isEmpty() || !query.matches(line.get())) {
                        continue;
                    }
                    matched++;
                    newest.add(line.get());
                    if (newest.size() > query.limit()) {
                        newest.poll();
                    }
                }
            } catch (IOException e) {
                // A file rolled away between listing and reading: its lines are in the archive now.
                log.debug("Log file {} not read: {}", file.path(), e.toString());
            }
        }
        List<LogLine> out = new ArrayList<>(newest);
        out.sort(OLDEST_FIRST.reversed());
        return new Result(out, matched, matched > out.size(), covering.size(), read);
    }

    /** The line, unless a cheap look shows it cannot match or it is not one of ours. */
    private Optional<LogLine> parse(String raw, LogQuery query) {
        Optional<Instant> at = LogLine.leadingTimestamp(raw);
        if (at.isEmpty() || !query.covers(at.get()) || !query.mayMatch(raw)) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(raw);
            return Optional.of(LogLine.of(node));
        } catch (IOException | RuntimeException notJson) {
            return Optional.empty();
        }
    }
}
