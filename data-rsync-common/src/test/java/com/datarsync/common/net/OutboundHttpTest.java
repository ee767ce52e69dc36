package com.datarsync.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against real sockets: the policy is applied to the address each connection resolves to. */
class OutboundHttpTest {

    private HttpServer loopback;
    private HttpServer peer;
    private final AtomicInteger loopbackRequests = new AtomicInteger();
    private final AtomicInteger peerRequests = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        loopback = server("127.0.0.1", loopbackRequests);
        // The whole of 127/8 is loopback on Linux: 127.77.0.1 stands for a reviewed exception.
        peer = server("127.77.0.1", peerRequests);
    }

    private static HttpServer server(String address, AtomicInteger requests) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestURI().getPath().equals("/slow") ? slow() : ("secret of "
                    + address + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Retry-After", "7");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static byte[] slow() {
        try {
            Thread.sleep(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new byte[0];
    }

    @AfterEach
    void stop() {
        loopback.stop(0);
        peer.stop(0);
    }

    private static OutboundHttp http(String... allowed) {
        return new OutboundHttp(new OutboundAddressPolicy(NetworkBlock.parseAll(List.of(allowed)), Set.of()),
                Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void aLoopbackAddressIsRefusedBeforeTheConnectionWhetherLiteralOrName() {
        OutboundHttp http = http();
        int port = loopback.getAddress().getPort();
        for (String url : List.of("http://127.0.0.1:" + port + "/api", "http://localhost:" + port + "/api")) {
            assertThatThrownBy(() -> http.get(URI.create(url), Map.of())).as(url)
                    .isInstanceOf(OutboundAddressRefusedException.class).hasMessageContaining("loopback");
        }
        assertThat(loopbackRequests).hasValue(0);
    }

    @Test
    void anAllowedBlockIsReachedAndItsAnswerRead() throws Exception {
        OutboundHttp http = http("127.77.0.0/16");
        OutboundHttp.Response answer = http.post(URI.create("http://127.77.0.1:" + peer.getAddress().getPort() + "/hook"),
                Map.of("Content-Type", "application/json"), "{\"a\":1}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("secret of 127.77.0.1 {\"a\":1}");
        assertThat(answer.header("retry-after")).contains("7");
        // The same policy still refuses the rest of loopback.
        assertThatThrownBy(() -> http.get(URI.create("http://127.0.0.1:" + loopback.getAddress().getPort() + "/"),
                Map.of())).isInstanceOf(OutboundAddressRefusedException.class);
        assertThat(loopbackRequests).hasValue(0);
        assertThat(peerRequests).hasValue(1);
    }

    @Test
    void aSlowAnswerIsATimeout() {
        OutboundHttp http = http("127.77.0.0/16");
        assertThatThrownBy(() -> http.get(URI.create("http://127.77.0.1:" + peer.getAddress().getPort() + "/slow"),
                Map.of())).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void aClosedPortIsAnIoErrorNotARefusal() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.77.0.1"))) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> http("127.77.0.0/16").get(URI.create("http://127.77.0.1:" + closed + "/"), Map.of()))
                .isInstanceOf(java.io.IOException.class).isNotInstanceOf(OutboundAddressRefusedException.class);
    }
}
