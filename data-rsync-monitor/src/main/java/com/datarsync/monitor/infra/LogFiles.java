package com.datarsync.monitor.infra;

import com.datarsync.monitor.domain.LogLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The services' log files in one directory, as {@code logback-spring.xml} writes them: the
 * current {@code <service>.json} of each service and the rolled
 * {@code archive/<service>.<UTC day>.<n>.json.gz}. Picks the files a time window can need (by
 * the day in an archive's name and by the time a file was last written) and reads them line by
 * line, without loading a file whole.
 */
public final class LogFiles {

    private static final Pattern CURRENT = Pattern.compile("(.+)\\.json");
    private static final Pattern ARCHIVE = Pattern.compile("(.+)\\.(\\d{4}-\\d{2}-\\d{2})\\.\\d+\\.json\\.gz");

    private final Path dir;

    public LogFiles(Path dir) {
        this.dir = dir;
    }

    /** A file to read and the service that wrote it (short name). */
    public record LogFile(Path path, String service, boolean compressed) {
    }

    /** The files that may hold lines of {@code [from, to)} written by {@code services} (all if empty). */
    public List<LogFile> covering(Instant from, Instant to, Set<String> services) {
        List<LogFile> out = new ArrayList<>();
        LocalDate firstDay = day(from, LocalDate.MIN);
        LocalDate lastDay = day(to, LocalDate.MAX);
        for (Path file : list(dir)) {
            Matcher current = CURRENT.matcher(file.getFileName().toString());
            if (current.matches() && wanted(current.group(1), services) && writtenSince(file, from)) {
                out.add(new LogFile(file, LogLine.shortServiceName(current.group(1)), false));
            }
        }
        for (Path file : list(dir.resolve("archive"))) {
            Matcher archive = ARCHIVE.matcher(file.getFileName().toString());
            if (!archive.matches() || !wanted(archive.group(1), services) || !writtenSince(file, from)) {
                continue;
            }
            try {
                LocalDate day = LocalDate.parse(archive.group(2));
                if (!day.isBefore(firstDay) && !day.isAfter(lastDay)) {
                    out.add(new LogFile(file, LogLine.shortServiceName(archive.group(1)), true));
                }
            } catch (DateTimeParseException notADay) {
                // Not one of ours.
            }
        }
        return out;
    }

    /** Reads the file's lines in order; the file may grow meanwhile (the current one does). */
    public static BufferedReader open(LogFile file) throws IOException {
        InputStream in = Files.newInputStream(file.path());
        if (file.compressed()) {
            in = new GZIPInputStream(in, 64 * 1024);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
    }

    /** The UTC day of an instant; {@code beyond} for one outside the days a date can name. */
    private static LocalDate day(Instant at, LocalDate beyond) {
        try {
            return LocalDate.ofInstant(at, ZoneOffset.UTC);
        } catch (java.time.DateTimeException outOfRange) {
            return beyond;
        }
    }

    private static boolean wanted(String service, Set<String> services) {
        return services.isEmpty() || services.contains(LogLine.shortServiceName(service));
    }

    /** A file last written before the window began holds none of its lines. */
    private static boolean writtenSince(Path file, Instant from) {
        try {
            return !Files.getLastModifiedTime(file).toInstant().isBefore(from);
        } catch (IOException gone) {
            return false;
        }
    }

    private static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
