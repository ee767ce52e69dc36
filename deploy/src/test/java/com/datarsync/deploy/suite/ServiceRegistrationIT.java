package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.pojo.Instance;
import com.datarsync.common.testsupport.LocalInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * All seven back-end services register in the real Nacos-protocol server, and the gateway
 * reaches each of them through lb:// discovery; each exposes health and Prometheus metrics.
 */
class ServiceRegistrationIT extends RunningSuite {

    @Test
    void everyBackendIsRegisteredAndHealthyInNacos() throws Exception {
        Properties props = new Properties();
        props.put("serverAddr", LocalInfra.get().nacosAddr());
        props.put("username", LocalInfra.get().value("DATARSYNC_NACOS_USERNAME"));
        props.put("password", LocalInfra.get().value("DATARSYNC_NACOS_PASSWORD"));
        NamingService naming = NacosFactory.createNamingService(props);
        try {
            List<String> services = new java.util.ArrayList<>(SuiteProcesses.BACKENDS.keySet());
            SuiteProcesses.STAGES.forEach(stage -> services.add(stage.get(0)));
            for (String service : services) {
                await(service + " registered").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    List<Instance> healthy = naming.selectInstances(service, true);
                    assertThat(healthy).as(service).isNotEmpty();
                    assertThat(healthy).allSatisfy(i -> assertThat(i.getIp()).isEqualTo("127.0.0.1"));
                });
            }
        } finally {
            naming.shutDown();
        }
    }

    @Test
    void gatewayRoutesEachPrefixToItsService() throws Exception {
        for (Map.Entry<String, String> e : SuiteProcesses.BACKENDS.entrySet()) {
            URI uri = SuiteProcesses.gateway(e.getValue() + "/service-info");
            await(e.getKey() + " through the gateway").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> response = SuiteProcesses.get(uri);
                assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
                // The answer names the service that produced it: the route went to the right one.
                assertThat(JSON.readTree(response.body()).path("service").asText()).isEqualTo(e.getKey());
            });
        }
    }

    @Test
    void theStagesAreReachedOnTheirOwnPortsOnlyNeverThroughTheGateway() throws Exception {
        for (List<String> stage : SuiteProcesses.STAGES) {
            HttpResponse<String> direct = SuiteProcesses.get(SuiteProcesses.direct(stage.get(1), stage.get(2) + "/service-info"));
            assertThat(direct.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(direct.body()).path("service").asText()).isEqualTo(stage.get(0));
            assertThat(SuiteProcesses.get(SuiteProcesses.gateway(stage.get(2) + "/service-info")).statusCode())
                    .as("no public route to " + stage.get(0)).isEqualTo(404);
        }
        assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/internal/stage/tasks")).statusCode()).isEqualTo(404);
    }

    @Test
    void gatewayReachesServiceEndpointsBackedByTheMetadataDatabase() throws Exception {
        JsonNode roles = JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway("/api/auth/roles")).body());
        assertThat(roles.findValuesAsText("code")).contains("ADMIN", "OPERATOR", "VIEWER");
        assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/api/tasks")).statusCode()).isEqualTo(200);
        assertThat(SuiteProcesses.get(SuiteProcesses.gateway("/api/datasources")).statusCode()).isEqualTo(200);
    }

    @Test
    void everyServiceExposesHealthAndPrometheusMetrics() {
        LocalInfra infra = LocalInfra.get();
        for (String service : SuiteProcesses.ALL_SERVICES) {
            String base = "http://127.0.0.1:" + SuiteProcesses.healthPort(service);
            HttpResponse<String> health = SuiteProcesses.get(URI.create(base + "/actuator/health"));
            assertThat(health.statusCode()).as(service).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
            HttpResponse<String> metrics = SuiteProcesses.get(URI.create(base + "/actuator/prometheus"));
            assertThat(metrics.statusCode()).as(service).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes{")
                    .contains("application=\"data-rsync-" + service + "\"");
        }
    }

    @Test
    void unknownPathGetsJsonNotFoundFromTheGateway() throws Exception {
        HttpResponse<String> response = SuiteProcesses.get(SuiteProcesses.gateway("/api/no-such-service/x"));
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("code").asText()).isEqualTo("DRS-4040");
        assertThat(body.has("trace")).isFalse();
    }
}
