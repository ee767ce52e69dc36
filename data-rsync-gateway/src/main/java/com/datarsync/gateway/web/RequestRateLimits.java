package com.datarsync.gateway.web;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.EntryType;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.flow.param.ParamFlowRule;
import com.alibaba.csp.sentinel.slots.block.flow.param.ParamFlowRuleManager;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.web.ApiError;
import com.datarsync.gateway.settings.EdgeSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Request rate limits at the edge, as Sentinel hot-parameter flow rules: one per client address
 * (checked before the token, so floods of bad tokens count too) and one per user (after it).
 * Over the limit: 429 DRS-4290 with {@code Retry-After}. Counters are per gateway instance.
 */
@Component
public class RequestRateLimits {

    static final String PER_ADDRESS = "gateway:requests-per-address";
    static final String PER_USER = "gateway:requests-per-user";

    private final ObjectMapper json;

    public RequestRateLimits(EdgeSettings settings, ObjectMapper json) {
        this.json = json;
        ParamFlowRuleManager.loadRules(List.of(
                rule(PER_ADDRESS, settings.perAddressPerSecond()),
                rule(PER_USER, settings.perUserPerSecond())));
    }

    private static ParamFlowRule rule(String resource, int perSecond) {
        ParamFlowRule rule = new ParamFlowRule(resource).setParamIdx(0).setCount(perSecond);
        rule.setDurationInSec(1);
        return rule;
    }

    /** Before the security chain (order -100): every request counts against its address. */
    @Component
    static class PerAddress implements WebFilter, Ordered {
        private final RequestRateLimits limits;

        PerAddress(RequestRateLimits limits) {
            this.limits = limits;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            return limits.admit(PER_ADDRESS, ClientAddressFilter.of(exchange)) ? chain.filter(exchange) : limits.refuse(exchange);
        }

        @Override
        public int getOrder() {
            return -200;
        }
    }

    /** After the security chain: a logged-in user's requests count against the user. */
    @Component
    static class PerUser implements WebFilter, Ordered {
        private final RequestRateLimits limits;

        PerUser(RequestRateLimits limits) {
            this.limits = limits;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            return ReactiveSecurityContextHolder.getContext()
                    .map(SecurityContext::getAuthentication)
                    .filter(a -> a != null && a.isAuthenticated() && a.getName() != null)
                    .map(a -> limits.admit(PER_USER, a.getName()))
                    .defaultIfEmpty(true)
                    .flatMap(admitted -> admitted ? chain.filter(exchange) : limits.refuse(exchange));
        }

        @Override
        public int getOrder() {
            return 0;
        }
    }

    boolean admit(String resource, String key) {
        Entry entry = null;
        try {
            entry = SphU.entry(resource, EntryType.IN, 1, key);
            return true;
        } catch (BlockException blocked) {
            return false;
        } finally {
            if (entry != null) {
                entry.exit(1, key);
            }
        }
    }

    Mono<Void> refuse(ServerWebExchange exchange) {
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        ApiError body = ApiError.of(ErrorCode.RATE_LIMITED, "Too many requests: slow down",
                exchange.getRequest().getPath().value(), Map.of());
        return response.writeWith(Mono.fromCallable(() -> response.bufferFactory().wrap(json.writeValueAsBytes(body))));
    }
}
