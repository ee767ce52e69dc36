package com.datarsync.deploy.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.datarsync.common.testsupport.LocalInfra;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A property changed in the Nacos config centre reaches every running service without a restart. */
class NacosConfigRefreshIT extends RunningSuite {

    private static final String DATA_ID = "data-rsync-shared.yaml";
    private static final String GROUP = "DATA_RSYNC";
    @Test
    void announcementPublishedInNacosReachesRunningServices() throws Exception {
        Properties props = new Properties();
        props.put("serverAddr", LocalInfra.get().nacosAddr());
        props.put("username", LocalInfra.get().value("DATARSYNC_NACOS_USERNAME"));
        props.put("password", LocalInfra.get().value("DATARSYNC_NACOS_PASSWORD"));
        ConfigService config = NacosFactory.createConfigService(props);
        String original = config.getConfig(DATA_ID, GROUP, 5000);
        assertThat(original).as("shared config seeded by deploy/local/datarsync").isNotNull();
        String token = "维护通知 maintenance " + UUID.randomUUID();
        long pidBefore = pidOf("/api/monitor");
        try {
            assertThat(config.publishConfig(DATA_ID, GROUP,
                    "datarsync:\n  shared:\n    environment: local\n    announcement: \"" + token + "\"\n", "yaml"))
                    .isTrue();
            List<URI> infos = new ArrayList<>();
            SuiteProcesses.BACKENDS.values().forEach(prefix -> infos.add(SuiteProcesses.gateway(prefix + "/service-info")));
            SuiteProcesses.STAGES.forEach(s -> infos.add(SuiteProcesses.direct(s.get(1), s.get(2) + "/service-info")));
            for (URI info : infos) {
                await(info + " sees the new announcement").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(JSON.readTree(SuiteProcesses.get(info).body()).path("shared").path("announcement")
                                .asText()).isEqualTo(token));
            }
            // Same process as before: the value arrived by refresh, not by a restart.
            assertThat(pidOf("/api/monitor")).isEqualTo(pidBefore);
        } finally {
            config.publishConfig(DATA_ID, GROUP, original, "yaml");
            config.shutDown();
        }
    }

    private static long pidOf(String prefix) throws Exception {
        return JSON.readTree(SuiteProcesses.get(SuiteProcesses.gateway(prefix + "/service-info")).body())
                .path("pid").asLong();
    }
}
