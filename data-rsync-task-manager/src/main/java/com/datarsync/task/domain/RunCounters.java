package com.datarsync.task.domain;

import com.datarsync.common.stage.StageName;

import com.datarsync.common.stage.TaskStatus;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums a run's figures over every stage process that worked on it. Stage counters restart at zero
 * when a stage process restarts, so the last report of each (stage, start time) is kept apart and
 * the run's figure is the sum over all of them.
 */
public final class RunCounters {

    public static final String SNAPSHOTTED = "rowsSnapshotted";
    public static final String INSERTED = "rowsInserted";
    public static final String UPDATED = "rowsUpdated";
    public static final String DELETED = "rowsDeleted";
    public static final String EMBEDDED = "textsEmbedded";
    public static final String DEAD_LETTERS = "deadLetters";

    private RunCounters() {
    }

    /** The key a stage report is kept under: one per stage process lifetime. */
    public static String segment(TaskStatus status) {
        return status.stage() + "@" + status.startedAt();
    }

    /** The run figures from the kept reports (segment -> the stage's counters). */
    public static Map<String, Long> totals(Map<String, Map<String, Long>> segments) {
        Map<String, Long> totals = new TreeMap<>();
        segments.forEach((segment, counters) -> {
            StageName stage = StageName.byLabel(segment.substring(0, segment.indexOf('@'))).orElse(null);
            if (stage == null) {
                return;
            }
            switch (stage) {
                case LOG_LISTENER -> {
                    add(totals, SNAPSHOTTED, counters.get("snapshotRecords"));
                    add(totals, INSERTED, counters.get("inserts"));
                    add(totals, UPDATED, counters.get("updates"));
                    add(totals, DELETED, counters.get("deletes"));
                    add(totals, DEAD_LETTERS, counters.get("deadLetters"));
                }
                case DATA_PROCESS -> {
                    add(totals, EMBEDDED, counters.get("textsEmbedded"));
                    add(totals, DEAD_LETTERS, counters.get("deadLetters"));
                }
                case MILVUS_SYNC -> add(totals, DEAD_LETTERS, counters.get("deadLetters"));
                default -> { }
            }
        });
        return totals;
    }

    private static void add(Map<String, Long> totals, String name, Long value) {
        if (value != null) {
            totals.merge(name, value, Long::sum);
        }
    }
}
