package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The real Prometheus started by the scripts scrapes every service's /actuator/prometheus. */
class PrometheusScrapeIT extends RunningSuite {

    @Test
    void everyServiceIsScrapedAndUp() {
        URI query = URI.create("http://127.0.0.1:" + LocalInfra.get().port("prometheus")
                + "/api/v1/query?query=jvm_threads_live_threads");
        await("all services scraped").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode result = JSON.readTree(SuiteProcesses.get(query).body()).path("data").path("result");
            Set<String> applications = new HashSet<>();
            result.forEach(r -> applications.add(r.path("metric").path("application").asText()));
            assertThat(applications).containsAll(
                    SuiteProcesses.ALL_SERVICES.stream().map(s -> "data-rsync-" + s).toList());
        });
    }
}
