package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With a service stopped, the gateway answers a JSON error with a stable code, and recovers after. */
class GatewayServiceDownIT extends RunningSuite {

    @Test
    void stoppedServiceGetsServiceUnavailableJsonThenRecovers() {
        URI uri = SuiteProcesses.gateway("/api/monitor/service-info");
        assertThat(SuiteProcesses.get(uri).statusCode()).isEqualTo(200);

        SuiteProcesses.stop("monitor");
        try {
            // Right after the stop the gateway may still hold the instance (refused connection);
            // once Nacos drops it the load balancer finds none. Both must be the same clear error.
            await("gateway error for a stopped service").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> response = SuiteProcesses.get(uri);
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        ct -> assertThat(ct).startsWith("application/json"));
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.path("code").asText()).isEqualTo("DRS-5030");
                assertThat(body.path("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");
                assertThat(body.path("retriable").asBoolean()).isTrue();
                assertThat(body.path("details").path("service").asText()).isEqualTo("data-rsync-monitor");
                assertThat(body.path("message").asText()).contains("data-rsync-monitor");
                assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
            });
            await("no instance left in discovery").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(JSON.readTree(SuiteProcesses.get(uri).body()).path("message").asText())
                            .contains("no running instance"));
        } finally {
            SuiteProcesses.start("monitor");
        }
        await("monitor back behind the gateway").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(SuiteProcesses.get(uri).statusCode()).isEqualTo(200));
    }
}
