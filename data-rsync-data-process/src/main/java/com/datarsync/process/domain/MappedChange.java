package com.datarsync.process.domain;

import java.util.List;
import java.util.Map;

/** What one change means for the target: write the row's current state, or remove its key. */
public sealed interface MappedChange {

    String key();

    /** @param texts the rendered text of each vector field, in the order of {@code target.vectors} */
    record Upsert(String key, Map<String, Object> fields, List<String> texts) implements MappedChange {
    }

    record Delete(String key) implements MappedChange {
    }
}
