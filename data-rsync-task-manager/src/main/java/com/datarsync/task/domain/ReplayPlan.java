package com.datarsync.task.domain;

/**
 * Whether a dead letter is still worth replaying. A replay puts the failed record back at the end
 * of the partition it was read from; if the same row changed after it (a later record with the
 * same key), or its table was truncated after it, the letter is stale: replaying it would bring
 * back an older state (or a removed row) after the newer one. Such letters are superseded, and so
 * is every letter before the beginning of a new snapshot in its partition (the snapshot reads
 * every row again and removes those gone).
 */
public final class ReplayPlan {

    /** What a snapshot's beginning stands for: every table read again. */
    public static final String EVERY_TABLE = "*";

    private ReplayPlan() {
    }

    /**
     * A record that follows the letter's record in its partition.
     *
     * @param truncatedTable the table ({@code schema.table}) when the record is a TRUNCATE,
     *                       {@link #EVERY_TABLE} when it begins a snapshot, else null
     */
    public record LaterRecord(long offset, String key, String truncatedTable) {
    }

    /**
     * The table of the row a letter's key names: the part before the first {@code /} when keys
     * carry it (the change topic, or any topic of a multi-table task), else the task's only table.
     */
    public static String tableOf(String key, boolean keysCarryTable, String onlyTable) {
        if (!keysCarryTable) {
            return onlyTable;
        }
        int slash = key == null ? -1 : key.indexOf('/');
        return slash < 0 ? null : key.substring(0, slash);
    }

    /** Whether {@code later}, read after the letter's record ({@code letterOffset}), makes the letter stale. */
    public static boolean supersedes(LaterRecord later, long letterOffset, String letterKey, String letterTable) {
        if (later.offset() <= letterOffset) {
            return false;
        }
        if (later.truncatedTable() != null) {
            return later.truncatedTable().equals(EVERY_TABLE) || later.truncatedTable().equals(letterTable);
        }
        return later.key() != null && later.key().equals(letterKey);
    }

    /** The table a truncate record names by its key ({@code schema.table/}), else null. */
    public static String truncateKeyTable(String key) {
        return key != null && key.length() > 1 && key.indexOf('/') == key.length() - 1
                ? key.substring(0, key.length() - 1) : null;
    }
}
