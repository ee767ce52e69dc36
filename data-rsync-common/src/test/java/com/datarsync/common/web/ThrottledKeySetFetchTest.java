package com.datarsync.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.datarsync.common.security.KeySetFetchThrottle;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestTemplate;

/** Against a real key-set server: fetches within the interval are answered from the last one. */
class ThrottledKeySetFetchTest {

    @Test
    void aBurstOfFetchesReachesTheServerOncePerInterval() throws Exception {
        AtomicInteger served = new AtomicInteger();
        HttpServer auth = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        auth.createContext("/jwks", exchange -> {
            byte[] body = ("{\"keys\":[{\"kid\":\"k" + served.incrementAndGet() + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        auth.start();
        try {
            Instant[] now = {Instant.parse("2026-12-07T00:00:00Z")};
            RestTemplate jwks = new RestTemplate();
            jwks.getInterceptors().add(new ThrottledKeySetFetch(new KeySetFetchThrottle(Duration.ofSeconds(10), () -> now[0])));
            String url = "http://127.0.0.1:" + auth.getAddress().getPort() + "/jwks";

            for (int i = 0; i < 50; i++) {
                assertThat(jwks.getForObject(url, String.class)).isEqualTo("{\"keys\":[{\"kid\":\"k1\"}]}");
                now[0] = now[0].plusMillis(100);
            }
            assertThat(served).as("fetches that reached the server in 5 s").hasValue(1);

            now[0] = now[0].plusSeconds(6);
            assertThat(jwks.getForObject(url, String.class)).as("a new key is seen after the interval")
                    .isEqualTo("{\"keys\":[{\"kid\":\"k2\"}]}");
            assertThat(served).hasValue(2);
        } finally {
            auth.stop(0);
        }
    }
}
