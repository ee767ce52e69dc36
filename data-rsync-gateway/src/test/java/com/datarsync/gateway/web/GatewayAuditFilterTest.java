package com.datarsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayAuditFilterTest {

    @Test
    void idsInAPathBecomePlaceholdersAndActionsStay() {
        assertThat(GatewayAuditFilter.route("/api/tasks")).isEqualTo("/api/tasks");
        assertThat(GatewayAuditFilter.route("/api/tasks/orders_sync/start")).isEqualTo("/api/tasks/{id}/start");
        assertThat(GatewayAuditFilter.route("/api/tasks/t1/verifications/12/repair"))
                .isEqualTo("/api/tasks/{id}/verifications/{id}/repair");
        assertThat(GatewayAuditFilter.route("/api/tasks/t1/dead-letters/abc-1/replay"))
                .isEqualTo("/api/tasks/{id}/dead-letters/{id}/replay");
        assertThat(GatewayAuditFilter.route("/api/tasks/t1/dead-letters/replay"))
                .isEqualTo("/api/tasks/{id}/dead-letters/replay");
        assertThat(GatewayAuditFilter.route("/api/datasources/7")).isEqualTo("/api/datasources/{id}");
        assertThat(GatewayAuditFilter.route("/api/datasources/test")).isEqualTo("/api/datasources/test");
        assertThat(GatewayAuditFilter.route("/api/datasources/credentials/reseal"))
                .isEqualTo("/api/datasources/credentials/reseal");
    }
}
