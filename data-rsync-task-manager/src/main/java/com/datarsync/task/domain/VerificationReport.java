package com.datarsync.task.domain;

import java.util.List;
import java.util.Map;

/**
 * What a verification found (stored as JSON with it; docs/tasks.md, "Verification").
 *
 * @param sourceRows       rows per source table, and their total
 * @param milvusRows       distinct rows the collection holds (chunk 0 of each in a chunked task)
 * @param milvusEntities   entities the collection holds (chunks in a chunked task)
 * @param missing          rows the source holds and the collection does not
 * @param ghosts           rows the collection holds and the source does not
 * @param differingBuckets the key-digest buckets whose keys differ, for the repair to list again
 * @param sampled          rows of the random sample compared field by field and vector by vector
 * @param stale            sampled rows whose entities differ from what the task makes of the row now
 * @param rejected         sampled rows the task would refuse (they are dead letters, not stale)
 */
public record VerificationReport(Map<String, Long> sourceRows, long sourceTotal, long milvusRows, long milvusEntities,
        Keys missing, Keys ghosts, List<Integer> differingBuckets, int sampled, List<StaleRow> stale,
        Map<String, String> rejected, String verdict) {

    /** At most this many keys (and stale rows) are listed; counts are always whole. */
    public static final int LISTED = 100;

    /** A set of row keys: how many, and the first {@link #LISTED} in key order. */
    public record Keys(long count, List<String> keys) {
    }

    /** A sampled row that differs, with every difference. */
    public record StaleRow(String key, List<String> differences) {
    }

    public boolean equal() {
        return missing.count() == 0 && ghosts.count() == 0 && stale.isEmpty();
    }
}
