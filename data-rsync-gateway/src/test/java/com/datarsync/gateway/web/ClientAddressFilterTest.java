package com.datarsync.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.gateway.settings.EdgeSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class ClientAddressFilterTest {

    private static ClientAddressFilter filter(String... trusted) {
        return new ClientAddressFilter(new EdgeSettings("http://jwks", "i", "a", 100, 50, List.of(trusted)));
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientAndTheClientsHeadersAreReplaced() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/auth/login")
                .remoteAddress(new InetSocketAddress("203.0.113.9", 50000))
                .header("X-Forwarded-For", "198.51.100.1, 127.0.0.1").header("Forwarded", "for=198.51.100.1")
                .header("X-Real-IP", "198.51.100.1"));
        AtomicReference<ServerHttpRequest> forwarded = new AtomicReference<>();
        filter().filter(exchange, e -> {
            forwarded.set(e.getRequest());
            return Mono.empty();
        }).block();
        assertThat(forwarded.get().getHeaders().get("X-Forwarded-For")).containsExactly("203.0.113.9");
        assertThat(forwarded.get().getHeaders().containsKey("Forwarded")).isFalse();
        assertThat(forwarded.get().getHeaders().containsKey("X-Real-IP")).isFalse();
        assertThat(ClientAddressFilter.of(exchange)).isEqualTo("203.0.113.9");
    }

    @Test
    void behindTrustedProxiesTheNearestUntrustedHopIsTheClient() {
        ClientAddressFilter filter = filter("10.0.0.0/8", "192.0.2.10");
        // The load balancer 10.0.0.5 saw 198.51.100.7, which claimed to forward for 203.0.113.1.
        assertThat(filter.client("10.0.0.5", List.of("203.0.113.1, 198.51.100.7"))).isEqualTo("198.51.100.7");
        // Two trusted hops: the address before both.
        assertThat(filter.client("10.0.0.5", List.of("198.51.100.7", "192.0.2.10"))).isEqualTo("198.51.100.7");
        // A peer that is no trusted proxy: its header means nothing.
        assertThat(filter.client("198.51.100.9", List.of("203.0.113.1"))).isEqualTo("198.51.100.9");
        // A malformed hop ends the walk at the last trusted one.
        assertThat(filter.client("10.0.0.5", List.of("evil, 10.0.0.6"))).isEqualTo("10.0.0.6");
        assertThat(filter.client("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
    }
}
