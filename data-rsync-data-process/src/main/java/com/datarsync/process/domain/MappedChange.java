package com.datarsync.process.domain;

import java.util.Map;

/** What one change means for the target: write the row's current state, or remove its key. */
public sealed interface MappedChange {

    String key();

    /** @param text the rendered text to embed */
    record Upsert(String key, Map<String, Object> fields, String text) implements MappedChange {
    }

    record Delete(String key) implements MappedChange {
    }
}
