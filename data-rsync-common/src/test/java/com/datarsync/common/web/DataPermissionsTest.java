package com.datarsync.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.DataRsyncException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class DataPermissionsTest {

    private static Jwt token(Map<String, Object> claims) {
        return new Jwt("t", Instant.now(), Instant.now().plusSeconds(60), Map.of("alg", "RS256"), claims);
    }

    @Test
    void aTokenWithAllDataCoversEverySource() {
        DataPermissions p = DataPermissions.of(token(Map.of("sub", "1", "ds_all", true, "ds", List.of())));
        assertThat(p.covers(42)).isTrue();
        p.requireAll("Registering a data source");
    }

    @Test
    void anAssignedScopeCoversOnlyItsSources() {
        DataPermissions p = DataPermissions.of(token(Map.of("sub", "2", "ds_all", false, "ds", List.of(3, 7L))));
        assertThat(p.covers(3)).isTrue();
        assertThat(p.covers(7)).isTrue();
        assertThat(p.covers(4)).isFalse();
        assertThatThrownBy(() -> p.require(4)).isInstanceOf(DataRsyncException.class)
                .hasMessageContaining("not assigned");
        assertThatThrownBy(() -> p.requireAll("Registering a data source")).isInstanceOf(DataRsyncException.class);
    }

    @Test
    void aTokenWithoutScopeClaimsCoversNothing() {
        DataPermissions p = DataPermissions.of(token(Map.of("sub", "3")));
        assertThat(p.covers(1)).isFalse();
    }
}
