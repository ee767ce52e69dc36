package com.datarsync.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class RoutePermissionsTest {

    private static String need(String method, String path) {
        return RoutePermissions.ruleFor(HttpMethod.valueOf(method), path).map(RoutePermissions.Rule::permission)
                .orElse("REFUSED");
    }

    @Test
    void readingAndChangingNeedDifferentCodes() {
        assertThat(need("GET", "/api/datasources")).isEqualTo("datasource:read");
        assertThat(need("GET", "/api/datasources/7/schemas/app/tables")).isEqualTo("datasource:read");
        assertThat(need("POST", "/api/datasources")).isEqualTo("datasource:write");
        assertThat(need("POST", "/api/datasources/7/test")).isEqualTo("datasource:write");
        assertThat(need("DELETE", "/api/datasources/7")).isEqualTo("datasource:write");
    }

    @Test
    void tasksAreDefinedWithWriteAndDrivenWithOperate() {
        assertThat(need("GET", "/api/tasks/t1/status")).isEqualTo("task:read");
        assertThat(need("POST", "/api/tasks")).isEqualTo("task:write");
        assertThat(need("PUT", "/api/tasks/t1")).isEqualTo("task:write");
        assertThat(need("DELETE", "/api/tasks/t1")).isEqualTo("task:write");
        assertThat(need("POST", "/api/tasks/t1/start")).isEqualTo("task:operate");
        assertThat(need("POST", "/api/tasks/t1/verifications/4/repair")).isEqualTo("task:operate");
        assertThat(need("DELETE", "/api/tasks/t1/dead-letters/abc")).isEqualTo("task:operate");
        assertThat(need("POST", "/api/tasks/validate")).as("checking a definition is defining it").isEqualTo("task:write");
        assertThat(need("POST", "/api/tasks/t1/search")).as("a search reads").isEqualTo("task:read");
    }

    @Test
    void loginIsPublicProfileNeedsALoginAdministrationNeedsItsCode() {
        assertThat(need("POST", "/api/auth/login")).isEqualTo(RoutePermissions.PUBLIC);
        assertThat(need("GET", "/api/auth/login")).isEqualTo("REFUSED");
        assertThat(need("GET", "/api/auth/me")).isEqualTo(RoutePermissions.AUTHENTICATED);
        assertThat(need("GET", "/api/auth/users")).isEqualTo("user:read");
        assertThat(need("POST", "/api/auth/users/3/password")).isEqualTo("user:write");
        assertThat(need("PUT", "/api/auth/roles/AUDITOR")).isEqualTo("role:write");
        assertThat(need("GET", "/api/auth/audit/verification")).isEqualTo("audit:read");
        assertThat(need("DELETE", "/api/auth/audit")).isEqualTo("REFUSED");
    }

    @Test
    void anUnknownRouteIsRefused() {
        assertThat(need("GET", "/api/secrets")).isEqualTo("REFUSED");
        assertThat(need("GET", "/internal/verification/source/keys")).isEqualTo("REFUSED");
    }
}
