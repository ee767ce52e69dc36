package com.datarsync.monitor.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server standing in for a SaaS alert endpoint that cannot be reached from here: it
 * checks what the real service checks and answers the real service's success and error bodies.
 * What it took is kept in {@link #received()}.
 */
public abstract class RobotPeer implements AutoCloseable {

    protected static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where stand-ins for outside services listen: a loopback address of its own (all of 127/8 is
     * loopback on Linux), which the suite's outbound policy lists as its one reviewed exception,
     * while the suite's own servers are on 127.0.0.1 and stay refused.
     */
    public static final String ADDRESS = "127.77.0.1";

    /** One request the peer took (answered as a success). */
    public record Received(String query, Map<String, String> params, JsonNode body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    protected RobotPeer(String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress(ADDRESS, 0), 0);
        server.createContext(path, this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://" + ADDRESS + ":" + server.getAddress().getPort();
    }

    public List<Received> received() {
        return received;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawQuery();
        Map<String, String> params = params(raw);
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        JsonNode body = bytes.length == 0 ? null : readOrNull(new String(bytes, StandardCharsets.UTF_8));
        Answer answer;
        try {
            answer = answer(exchange.getRequestMethod(), raw, params, body);
        } catch (Exception e) {
            answer = new Answer(500, "{\"error\":\"" + e + "\"}");
        }
        if (answer.success()) {
            received.add(new Received(raw, params, body));
        }
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(answer.status(), out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    /** The peer's answer to one request. */
    protected record Answer(int status, String body, boolean success) {
        Answer(int status, String body) {
            this(status, body, false);
        }
    }

    protected abstract Answer answer(String method, String rawQuery, Map<String, String> params, JsonNode body)
            throws Exception;

    protected static Map<String, String> params(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static JsonNode readOrNull(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
