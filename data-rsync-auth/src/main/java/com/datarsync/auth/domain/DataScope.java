package com.datarsync.auth.domain;

/** Which data sources (and the tasks built on them) a role's holders may see and act on. */
public enum DataScope {
    /** Every data source. */
    ALL,
    /** Only the data sources assigned to the user. */
    ASSIGNED
}
