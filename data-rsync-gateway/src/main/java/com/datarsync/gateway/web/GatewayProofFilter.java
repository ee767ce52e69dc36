package com.datarsync.gateway.web;

import com.datarsync.common.security.InternalCredential;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Marks every request the gateway forwards with its proof ({@link InternalCredential#gatewayProof}),
 * replacing whatever a client sent in that header: the services answer {@code /api/**} only
 * with it, so their ports cannot be used to skip the gateway's TLS, rate limits and audit.
 */
@Component
public class GatewayProofFilter implements WebFilter, Ordered {

    private final String proof;

    public GatewayProofFilter(@Value("${" + InternalCredential.PROPERTY + ":}") String internalToken) {
        this.proof = InternalCredential.gatewayProof(internalToken);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
            h.remove(InternalCredential.GATEWAY_HEADER);
            if (proof != null) {
                h.set(InternalCredential.GATEWAY_HEADER, proof);
            }
        })).build());
    }

    @Override
    public int getOrder() {
        // With the client's address decided (ClientAddressFilter, -300), before the security chain.
        return -290;
    }
}
