package com.datarsync.stage;

import com.datarsync.common.event.ChangeEvent;
import com.datarsync.common.event.VectorRecord;

/**
 * The {@code op} tag of {@code datarsync_stage_events_total}: one word per row operation, the
 * same in every stage. Markers and heartbeats are no events and have none (null).
 */
public final class StageOps {

    private StageOps() {
    }

    public static String of(ChangeEvent event) {
        return switch (event.op()) {
            case c -> "insert";
            case u -> "update";
            case d -> "delete";
            case r -> "snapshot";
            case t -> "truncate";
            case b, e, h -> null;
        };
    }

    public static String of(VectorRecord.Op op) {
        return switch (op) {
            case UPSERT -> "upsert";
            case DELETE -> "delete";
            case TRUNCATE -> "truncate";
            case SNAPSHOT_BEGIN, SNAPSHOT_END, HEARTBEAT -> null;
        };
    }
}
