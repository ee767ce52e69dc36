package com.datarsync.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.security.KeySetFetchThrottle;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/** Against a real key-set server: the gateway's fetches within the interval are answered from the last one. */
class ThrottledKeySetFetchTest {

    @Test
    void aBurstOfFetchesReachesTheServerOncePerInterval() throws Exception {
        AtomicInteger served = new AtomicInteger();
        HttpServer auth = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        auth.createContext("/jwks", exchange -> {
            byte[] body = ("{\"keys\":[{\"kid\":\"k" + served.incrementAndGet() + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        auth.start();
        try {
            Instant[] now = {Instant.parse("2026-12-07T00:00:00Z")};
            WebClient jwks = WebClient.builder().filter(new ThrottledKeySetFetch(new KeySetFetchThrottle(
                    Duration.ofSeconds(10), () -> now[0]))).build();
            String url = "http://127.0.0.1:" + auth.getAddress().getPort() + "/jwks";
            for (int i = 0; i < 50; i++) {
                assertThat(jwks.get().uri(url).retrieve().bodyToMono(String.class).block())
                        .isEqualTo("{\"keys\":[{\"kid\":\"k1\"}]}");
                now[0] = now[0].plusMillis(100);
            }
            assertThat(served).hasValue(1);
            now[0] = now[0].plusSeconds(6);
            assertThat(jwks.get().uri(url).retrieve().bodyToMono(String.class).block())
                    .isEqualTo("{\"keys\":[{\"kid\":\"k2\"}]}");
            assertThat(served).hasValue(2);
        } finally {
            auth.stop(0);
        }
    }
}
