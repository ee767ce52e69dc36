package com.datarsync.deploy.suite;

/**
 * How big the long tests run. The test command runs every benchmark, fault and soak test at a
 * fast default so that it stays inside its time budget (docs/testing.md); {@code datarsync bench}
 * sets {@code DATARSYNC_FULL_SIZE=true} and runs them at the full size whose figures the docs
 * quote. A variable named for one setting (e.g. {@code DATARSYNC_BENCH_ROWS}) overrides both.
 */
final class SuiteSize {

    private SuiteSize() {
    }

    static boolean full() {
        return Boolean.parseBoolean(System.getenv("DATARSYNC_FULL_SIZE"));
    }

    /** The value of {@code variable} if set, else {@code fullSize} in a full run and {@code fast} otherwise. */
    static int setting(String variable, int fast, int fullSize) {
        String value = System.getenv(variable);
        if (value != null && !value.isBlank()) {
            return Integer.parseInt(value.trim());
        }
        return full() ? fullSize : fast;
    }
}
