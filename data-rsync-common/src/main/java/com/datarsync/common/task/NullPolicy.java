package com.datarsync.common.task;


/** What to do with a NULL value of a column. */
public enum NullPolicy {
    /** Carry it as NULL (the default). */
    KEEP,
    /** Carry {@link CleaningRule#defaultValue()} instead. */
    DEFAULT,
    /** Do not carry the row: it is removed from Milvus, like a row the filter leaves out. */
    DROP_ROW
}
