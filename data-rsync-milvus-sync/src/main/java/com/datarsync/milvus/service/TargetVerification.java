package com.datarsync.milvus.service;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.event.KeyDigest;
import com.datarsync.common.event.VectorRecord;
import com.datarsync.common.task.SyncTaskDefinition;
import com.datarsync.milvus.domain.CollectionSpec;
import com.datarsync.milvus.domain.MilvusExpressions;
import com.datarsync.milvus.infra.MilvusCollections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Milvus' side of a verification (docs/tasks.md, "Verification"): the digest of the row keys the
 * collection holds, the keys of chosen digest buckets, and the entities of given rows, all read
 * with Strong consistency. Read only.
 */
@Service
public class TargetVerification {

    private static final int SCAN_PAGE = 10_000;
    private static final int KEYS_PER_QUERY = 200;

    private final MilvusCollections milvus;

    public TargetVerification(MilvusCollections milvus) {
        this.milvus = milvus;
    }

    /** What the collection holds: entities, distinct rows, and the digest of the rows' keys. */
    public record KeySummary(long entities, long rows, long[] counts, long[] sums) {
    }

    /**
     * A row counts once: by its only entity, or in a chunked task by its chunk 0 (every row that
     * is written has one; a row's text always gives at least one chunk).
     */
    public KeySummary keys(SyncTaskDefinition task) {
        KeyDigest digest = new KeyDigest();
        long[] entities = {0};
        scanKeys(task, "", (rowKey, primaryKey) -> {
            entities[0]++;
            if (primaryKey.equals(rowKey) || primaryKey.equals(VectorRecord.chunkKey(rowKey, 0))) {
                digest.add(rowKey);
            }
        });
        return new KeySummary(entities[0], digest.total(), digest.counts(), digest.sums());
    }

    /** Keys per lookup query: Milvus finds primary keys through its key index, 5,000 in ~0.2 s at 1M entities. */
    private static final int KEYS_PER_LOOKUP = 5_000;

    /** The collection's entity count (count(*), Strong): no scan. */
    public long count(SyncTaskDefinition task) {
        SyncTaskDefinition.Target target = task.target();
        return onMilvus(target, () -> milvus.verify(target) ? milvus.count(target.collection()) : 0L);
    }

    /**
     * The row keys of an unchunked task that the collection lacks, found by primary-key lookups:
     * where a scan of every key reads the whole collection a page at a time (minutes past a
     * million entities on Milvus Lite), a lookup reads only the keys asked for.
     */
    public List<String> absent(SyncTaskDefinition task, List<String> rowKeys) {
        SyncTaskDefinition.Target target = task.target();
        if (!rowKeyField(target).equals(target.primaryKeyField())) {
            throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "Lookups by key need one entity per row; "
                    + "task '" + task.id() + "' writes chunks", Map.of("field", "keys"), null);
        }
        List<String> out = new ArrayList<>();
        if (!onMilvus(target, () -> milvus.verify(target))) {
            return new ArrayList<>(rowKeys);
        }
        for (int from = 0; from < rowKeys.size(); from += KEYS_PER_LOOKUP) {
            List<String> batch = rowKeys.subList(from, Math.min(rowKeys.size(), from + KEYS_PER_LOOKUP));
            java.util.Set<String> found = new java.util.HashSet<>();
            for (Map<String, Object> entity : onMilvus(target, () -> milvus.query(target.collection(),
                    MilvusExpressions.in(target.primaryKeyField(), batch), List.of(target.primaryKeyField())))) {
                found.add((String) entity.get(target.primaryKeyField()));
            }
            batch.stream().filter(k -> !found.contains(k)).forEach(out::add);
        }
        return out;
    }

    /** The distinct row keys of the collection that fall in the buckets, sorted. */
    public List<String> bucketKeys(SyncTaskDefinition task, Set<Integer> buckets) {
        TreeSet<String> out = new TreeSet<>();
        scanKeys(task, "", (rowKey, primaryKey) -> {
            if (KeyDigest.inBuckets(rowKey, buckets)) {
                out.add(rowKey);
            }
        });
        return new ArrayList<>(out);
    }

    /** Every field of every entity of the rows, by row key; rows the collection lacks are absent. */
    public Map<String, List<Map<String, Object>>> entities(SyncTaskDefinition task, List<String> rowKeys) {
        SyncTaskDefinition.Target target = task.target();
        String rowKeyField = rowKeyField(target);
        List<String> fields = new ArrayList<>(CollectionSpec.of(target).fields().keySet());
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (int from = 0; from < rowKeys.size(); from += KEYS_PER_QUERY) {
            List<String> batch = rowKeys.subList(from, Math.min(rowKeys.size(), from + KEYS_PER_QUERY));
            for (Map<String, Object> entity : onMilvus(target, () -> milvus.query(target.collection(),
                    MilvusExpressions.in(rowKeyField, batch), fields))) {
                out.computeIfAbsent((String) entity.get(rowKeyField), k -> new ArrayList<>()).add(entity);
            }
        }
        out.values().forEach(list -> list.sort(java.util.Comparator.comparing(
                e -> chunkNumber((String) e.get(target.primaryKeyField())))));
        return out;
    }

    private interface KeyVisitor {
        void visit(String rowKey, String primaryKey);
    }

    private void scanKeys(SyncTaskDefinition task, String filter, KeyVisitor visitor) {
        SyncTaskDefinition.Target target = task.target();
        String rowKeyField = rowKeyField(target);
        List<String> fields = rowKeyField.equals(target.primaryKeyField()) ? List.of(rowKeyField)
                : List.of(target.primaryKeyField(), rowKeyField);
        onMilvus(target, () -> {
            if (!milvus.verify(target)) {
                return null;
            }
            milvus.scan(target.collection(), filter, fields, SCAN_PAGE, page -> {
                for (Map<String, Object> entity : page) {
                    visitor.visit((String) entity.get(rowKeyField), (String) entity.get(target.primaryKeyField()));
                }
            });
            return null;
        });
    }

    private static String rowKeyField(SyncTaskDefinition.Target target) {
        return target.rowKeyField() != null ? target.rowKeyField() : target.primaryKeyField();
    }

    /** A chunk's number from its primary key ({@code <row key>#<n>}); 0 for an unchunked entity. */
    private static int chunkNumber(String primaryKey) {
        int hash = primaryKey.lastIndexOf('#');
        try {
            return hash < 0 ? 0 : Integer.parseInt(primaryKey.substring(hash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static <T> T onMilvus(SyncTaskDefinition.Target target, Supplier<T> call) {
        try {
            return call.get();
        } catch (DataRsyncException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataRsyncException(ErrorCode.TARGET_UNAVAILABLE, "Milvus could not be read for collection '"
                    + target.collection() + "': " + e.getMessage(), Map.of(), e);
        }
    }
}
