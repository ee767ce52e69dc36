package com.datarsync.gateway.web;

import com.datarsync.common.security.InternalCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * One audit entry for every state-changing request (any method but GET, HEAD, OPTIONS),
 * refused or not: who, what (method and route), the target path, the outcome (status) and the
 * caller's address, never a body. It runs first in the security chain, so refusals (401, 403)
 * are recorded too (the rate limits' 429 answers come before the chain and are not). Requests
 * auth answered itself are left to auth, which records them
 * with more detail (logins, users, roles). Entries go to auth's /internal/audit with the
 * internal credential, after the answer, retried once; a failure is logged.
 */
public class GatewayAuditFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(GatewayAuditFilter.class);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /** Path words that name a collection or a fixed action; any other segment after a collection is an id. */
    private static final Set<String> COLLECTIONS = Set.of("tasks", "datasources", "dead-letters", "verifications",
            "runs", "users", "roles", "schemas", "tables", "columns", "monitor", "alerts", "rules", "channels");
    private static final Set<String> FIXED = Set.of("test", "credentials", "reseal", "statistics", "queue", "replay",
            "start", "stop", "pause", "resume", "restart", "full-sync", "resnapshot", "limits", "repair", "enable", "disable", "password",
            "log", "daily", "snapshots", "columns", "tables", "schemas");

    private final WebClient auth;
    private final String internalToken;
    private final ObjectMapper json;

    public GatewayAuditFilter(WebClient loadBalanced, String internalToken, ObjectMapper json) {
        this.auth = loadBalanced;
        this.internalToken = internalToken;
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        if (READS.contains(request.getMethod()) || !request.getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange).doFinally(signal -> record(exchange));
    }

    private void record(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        String path = request.getPath().value();
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int code = status == null ? 200 : status.value();
        boolean routedToAuth = path.startsWith("/api/auth/")
                && exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) != null;
        if (routedToAuth) {
            return; // auth wrote its own entry
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("actor", code == 401 ? "-" : actor(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION)));
        entry.put("action", request.getMethod().name() + " " + route(path));
        entry.put("target", path.length() > 255 ? path.substring(0, 255) : path);
        entry.put("status", code);
        String address = ClientAddressFilter.of(exchange);
        entry.put("address", address.equals("unknown") ? null : address);
        entry.put("query", request.getURI().getRawQuery());
        auth.post().uri("http://data-rsync-auth/internal/audit")
                .header(InternalCredential.HEADER, internalToken)
                .bodyValue(entry)
                .retrieve().toBodilessEntity()
                .timeout(Duration.ofSeconds(5))
                .retryWhen(Retry.fixedDelay(1, Duration.ofSeconds(1)))
                .subscribe(ok -> { }, e -> log.error("Audit entry for {} {} ({}) could not be written: {}",
                        request.getMethod(), path, code, e.toString()));
    }

    /** The username of a token the chain has verified (this runs only for answers other than 401). */
    private String actor(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "-";
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length < 2) {
            return "-";
        }
        try {
            JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            String name = claims.path("preferred_username").asText("-");
            return name.length() > 64 ? name.substring(0, 64) : name;
        } catch (Exception e) {
            return "-";
        }
    }

    /** The route with ids replaced: {@code /api/tasks/orders/start} becomes {@code /api/tasks/{id}/start}. */
    static String route(String path) {
        String[] segments = path.split("/");
        StringBuilder out = new StringBuilder();
        String previous = "";
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            boolean id = i > 2 && COLLECTIONS.contains(previous) && !FIXED.contains(s);
            out.append('/').append(id ? "{id}" : s);
            previous = s;
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
