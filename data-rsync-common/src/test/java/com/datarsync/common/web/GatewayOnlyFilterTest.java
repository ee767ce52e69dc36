package com.datarsync.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.security.InternalCredential;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A service's /api answers the gateway (its proof) and the suite (the internal credential) only. */
class GatewayOnlyFilterTest {

    private static final String TOKEN = "internal-credential-of-the-suite";
    private final GatewayOnlyFilter filter = new GatewayOnlyFilter(TOKEN, new ObjectMapper().findAndRegisterModules());

    private MockHttpServletResponse call(String method, String path, String header, String value) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (header != null) {
            request.addHeader(header, value);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        if (chain.getRequest() == null) {
            response.setHeader("X-Stopped", "true");
        } else if (Boolean.TRUE.equals(request.getAttribute(GatewayOnlyFilter.VIA_GATEWAY))) {
            response.setHeader("X-Via-Gateway", "true");
        }
        return response;
    }

    @Test
    void theGatewaysProofPassesAndMarksTheRequestAsForwarded() throws Exception {
        String proof = InternalCredential.gatewayProof(TOKEN);
        assertThat(proof).isNotEqualTo(TOKEN).isEqualTo(InternalCredential.gatewayProof(TOKEN));
        assertThat(InternalCredential.gatewayProof(TOKEN + "x")).isNotEqualTo(proof);

        MockHttpServletResponse forwarded = call("PUT", "/api/datasources/2", InternalCredential.GATEWAY_HEADER, proof);
        assertThat(forwarded.getHeader("X-Stopped")).isNull();
        assertThat(forwarded.getHeader("X-Via-Gateway")).isEqualTo("true");
        // The suite itself (a JWKS fetch) passes too, without counting as forwarded.
        MockHttpServletResponse suite = call("GET", "/api/auth/jwks", InternalCredential.HEADER, TOKEN);
        assertThat(suite.getHeader("X-Stopped")).isNull();
        assertThat(suite.getHeader("X-Via-Gateway")).isNull();
    }

    @Test
    void anythingElseOnTheApiIsRefusedWithAStableCode() throws Exception {
        for (String[] attempt : new String[][] {{null, null}, {InternalCredential.GATEWAY_HEADER, "forged"},
                {InternalCredential.GATEWAY_HEADER, TOKEN}, {InternalCredential.HEADER, "wrong"}}) {
            MockHttpServletResponse refused = call("PUT", "/api/datasources/2", attempt[0], attempt[1]);
            assertThat(refused.getHeader("X-Stopped")).isEqualTo("true");
            assertThat(refused.getStatus()).isEqualTo(403);
            assertThat(refused.getContentAsString()).contains("DRS-4030").contains("through the gateway");
        }
        // Without a configured credential nothing passes.
        assertThat(InternalCredential.gatewayProof("")).isNull();
    }

    @Test
    void serviceInfoAndRoutesOutsideTheApiAreNotItsConcern() throws Exception {
        assertThat(call("GET", "/api/listener/service-info", null, null).getHeader("X-Stopped")).isNull();
        assertThat(call("POST", "/api/listener/service-info", null, null).getHeader("X-Stopped")).isEqualTo("true");
        assertThat(call("GET", "/internal/stage/tasks", null, null).getHeader("X-Stopped")).isNull();
        assertThat(call("GET", "/actuator/health", null, null).getHeader("X-Stopped")).isNull();
    }
}
