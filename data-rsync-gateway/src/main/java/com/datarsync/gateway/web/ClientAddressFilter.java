package com.datarsync.gateway.web;

import com.datarsync.common.net.NetworkBlock;
import com.datarsync.gateway.settings.EdgeSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Decides who the caller is, before anything counts or records it: the peer address of the
 * connection, or, when that peer is a configured trusted proxy ({@code datarsync.gateway.trusted-proxies},
 * none by default), the nearest address in its {@code X-Forwarded-For} that is not itself a
 * trusted proxy. Whatever forwarding headers the client sent are removed and
 * {@code X-Forwarded-For} is set to that one address, so the services behind (auth's login
 * throttle and audit) see the address the gateway decided on, never one a client wrote.
 */
@Component
public class ClientAddressFilter implements WebFilter, Ordered {

    /** Exchange attribute holding the caller's address as text. */
    public static final String ATTRIBUTE = ClientAddressFilter.class.getName() + ".address";

    private static final List<String> FORWARDING_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
            "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Real-IP");

    private final List<NetworkBlock> trustedProxies;

    public ClientAddressFilter(EdgeSettings settings) {
        this.trustedProxies = NetworkBlock.parseAll(settings.trustedProxies());
    }

    /** The caller's address this filter decided on (the peer's when it did not run), or "unknown". */
    public static String of(ServerWebExchange exchange) {
        String decided = exchange.getAttribute(ATTRIBUTE);
        return decided != null ? decided : peer(exchange.getRequest());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String client = client(peer(request), request.getHeaders().getOrEmpty("X-Forwarded-For"));
        exchange.getAttributes().put(ATTRIBUTE, client);
        ServerHttpRequest rewritten = request.mutate().headers(h -> {
            FORWARDING_HEADERS.forEach(h::remove);
            if (!client.equals("unknown")) {
                h.set("X-Forwarded-For", client);
            }
        }).build();
        return chain.filter(exchange.mutate().request(rewritten).build());
    }

    /**
     * The client behind {@code peer}: the peer itself unless it is a trusted proxy; then, from
     * the right of the forwarded list, the first address that is no trusted proxy (a malformed
     * entry ends the walk at the last trusted hop, which is then the client).
     */
    String client(String peer, List<String> forwardedHeaders) {
        if (trustedProxies.isEmpty() || !trusted(peer)) {
            return peer;
        }
        String client = peer;
        List<String> hops = forwardedHeaders.stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (hop.isEmpty() || hop.length() > 45 || !hop.matches("[0-9A-Fa-f:.]+")) {
                return client;
            }
            client = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean trusted(String address) {
        try {
            return NetworkBlock.anyContains(trustedProxies, InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String peer(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    @Override
    public int getOrder() {
        // Before the per-address rate limit (-200) and the security chain (-100).
        return -300;
    }
}
