package com.datarsync.gateway.web;

import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.web.ApiError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Every failure the gateway itself meets becomes an {@link ApiError} JSON answer: no service
 * instance registered, a refused connection, a timeout, no route. Runs before Spring Boot's
 * default handler, which would answer HTML or a body with the exception class.
 */
@Component
@Order(-2)
public class GatewayErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    private final ObjectMapper json;

    public GatewayErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route != null) {
            details.put("service", route.getUri().getHost());
        }
        Classified c = classify(error, route);
        if (c.code() == ErrorCode.INTERNAL_ERROR) {
            log.error("Gateway failure on {}", exchange.getRequest().getPath(), error);
        } else {
            log.warn("Gateway answered {} on {}: {}", c.code().code(), exchange.getRequest().getPath(), c.message());
        }
        ApiError body = ApiError.of(c.code(), c.message(), exchange.getRequest().getPath().value(), details);
        response.setStatusCode(HttpStatusCode.valueOf(c.code().httpStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return response.writeWith(Mono.fromCallable(() -> toBuffer(response, body)));
    }

    static Classified classify(Throwable error, Route route) {
        String service = route == null ? "the service" : route.getUri().getHost();
        if (error instanceof NotFoundException) {
            // Raised by the load balancer when Nacos lists no healthy instance.
            return new Classified(ErrorCode.SERVICE_UNAVAILABLE, service + " has no running instance");
        }
        if (hasCause(error, ConnectException.class)) {
            return new Classified(ErrorCode.SERVICE_UNAVAILABLE, service + " refused the connection");
        }
        if (hasCause(error, TimeoutException.class)) {
            return new Classified(ErrorCode.UPSTREAM_TIMEOUT, service + " did not answer in time");
        }
        if (error instanceof ResponseStatusException rse) {
            return switch (rse.getStatusCode().value()) {
                case 404 -> new Classified(ErrorCode.NOT_FOUND, "No route for this path");
                case 503 -> new Classified(ErrorCode.SERVICE_UNAVAILABLE, service + " is not available");
                case 504 -> new Classified(ErrorCode.UPSTREAM_TIMEOUT, service + " did not answer in time");
                case 502 -> new Classified(ErrorCode.BAD_GATEWAY, service + " answered with an error");
                default -> rse.getStatusCode().is4xxClientError()
                        ? new Classified(ErrorCode.VALIDATION_FAILED, rse.getReason())
                        : new Classified(ErrorCode.INTERNAL_ERROR, null);
            };
        }
        return new Classified(ErrorCode.INTERNAL_ERROR, null);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private DataBuffer toBuffer(ServerHttpResponse response, ApiError body) throws JsonProcessingException {
        return response.bufferFactory().wrap(json.writeValueAsBytes(body));
    }

    record Classified(ErrorCode code, String message) {
    }
}
