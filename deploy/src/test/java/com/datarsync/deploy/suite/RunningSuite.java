package com.datarsync.deploy.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;

/** Base of the suite tests: the whole suite runs (started once, shared) before any of them. */
abstract class RunningSuite {

    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void suiteUp() {
        SuiteProcesses.ensureAllRunning();
    }
}
