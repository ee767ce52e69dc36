package com.datarsync.deploy.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;

/** Base of the suite tests: the whole suite runs (started once, shared) before any of them. */
abstract class RunningSuite {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A short id unique to this run (base 36 of the clock), for task ids and texts that must not
     * meet an earlier run's topics, collections or cached vectors.
     */
    static String runId() {
        return Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    }

    @BeforeAll
    static void suiteUp() {
        SuiteProcesses.ensureAllRunning();
        // A wait that gives up says where every task stood (SuiteStateOnTimeout).
        org.awaitility.Awaitility.setDefaultConditionEvaluationListener(new SuiteStateOnTimeout());
    }
}
