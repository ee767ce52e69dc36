package com.datarsync.milvus.domain;

import com.datarsync.common.event.VectorRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces a batch to one write per source row: the row's last record wins, so an insert then
 * delete leaves a delete and a delete then insert leaves the insert. Since each row ends in
 * exactly one state, the deletes and upserts of a batch touch disjoint rows (and so disjoint
 * entities) and may be written in either order.
 */
public final class BatchCollapser {

    private BatchCollapser() {
    }

    /** @param deletes the row keys to remove */
    public record Collapsed(List<String> deletes, List<VectorRecord> upserts) {
    }

    public static Collapsed collapse(List<VectorRecord> batch) {
        Map<String, VectorRecord> last = new LinkedHashMap<>();
        for (VectorRecord record : batch) {
            last.remove(record.rowKey());
            last.put(record.rowKey(), record);
        }
        List<String> deletes = new ArrayList<>();
        List<VectorRecord> upserts = new ArrayList<>();
        for (VectorRecord record : last.values()) {
            if (record.op() == VectorRecord.Op.DELETE) {
                deletes.add(record.rowKey());
            } else {
                upserts.add(record);
            }
        }
        return new Collapsed(deletes, upserts);
    }
}
