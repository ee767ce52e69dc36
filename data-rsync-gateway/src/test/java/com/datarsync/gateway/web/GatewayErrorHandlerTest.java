package com.datarsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.error.ErrorCode;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;

class GatewayErrorHandlerTest {

    private final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    private final Route monitorRoute = Route.async().id("monitor").uri(URI.create("lb://data-rsync-monitor"))
            .predicate(e -> true).build();

    @Test
    void noInstanceIsServiceUnavailableNamingTheService() throws Exception {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/monitor/x"));
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, monitorRoute);

        new GatewayErrorHandler(json)
                .handle(exchange, NotFoundException.create(true, "Unable to find instance for data-rsync-monitor"))
                .block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        Map<String, Object> body = json.readValue(exchange.getResponse().getBodyAsString().block(), new TypeReference<>() { });
        assertThat(body).containsEntry("code", "DRS-5030").containsEntry("path", "/api/monitor/x")
                .containsEntry("details", Map.of("service", "data-rsync-monitor"))
                .doesNotContainKeys("trace", "exception");
        assertThat((String) body.get("message")).contains("data-rsync-monitor");
    }

    @Test
    void classifiesConnectTimeoutAndMissingRoute() {
        Throwable refused = new IllegalStateException("wrapped", new ConnectException("Connection refused"));
        assertThat(GatewayErrorHandler.classify(refused, monitorRoute).code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(GatewayErrorHandler.classify(new TimeoutException(), monitorRoute).code())
                .isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
        assertThat(GatewayErrorHandler.classify(new ResponseStatusException(HttpStatus.NOT_FOUND), null).code())
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(GatewayErrorHandler.classify(new IllegalArgumentException("boom"), null))
                .satisfies(c -> {
                    assertThat(c.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    assertThat(c.message()).isNull(); // never echo an unexpected exception's text
                });
    }
}
