package com.datarsync.datasource.domain;

import java.time.Instant;

/**
 * What the last periodic check found of a source.
 *
 * @param state     {@code UP}: reachable, login accepted, every capture prerequisite met;
 *                  {@code DEGRADED}: reachable and login accepted, a prerequisite fails (capture
 *                  would be refused); {@code DOWN}: not reachable, or the login is refused
 * @param reason    one line: what failed, or what was checked
 * @param checkedAt when the check ran
 * @param since     since when the state holds (the last change)
 */
public record SourceHealth(String state, String reason, Instant checkedAt, Instant since) {

    public static final String UP = "UP";
    public static final String DEGRADED = "DEGRADED";
    public static final String DOWN = "DOWN";
}
