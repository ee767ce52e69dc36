package com.datarsync.deploy.suite;

import com.datarsync.monitor.peers.RobotPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * OpenAI's embeddings API on loopback ({@code POST /v1/embeddings}, the real request and answer
 * shapes, errors included), standing in for the SaaS the suite cannot reach. Each text's vector
 * is {@link #vector}, a function of the text alone, so a test can compute what Milvus must hold
 * without asking the product. Every request is noted with the time it arrived.
 */
final class FakeOpenAiEmbeddings implements AutoCloseable {

    static final int DIMENSION = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request: when it arrived (System.nanoTime) and how many texts it carried. */
    record Request(long atNanos, int texts) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeOpenAiEmbeddings() throws IOException {
        server = HttpServer.create(new InetSocketAddress(RobotPeer.ADDRESS, 0), 0);
        server.createContext("/v1/embeddings", this::answer);
        server.start();
    }

    /** The base URL a task names in its embedding options. */
    String baseUrl() {
        return "http://" + RobotPeer.ADDRESS + ":" + server.getAddress().getPort() + "/v1";
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The vector of a text: the first {@link #DIMENSION} bytes of its SHA-256, each over 255. */
    static float[] vector(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            float[] out = new float[DIMENSION];
            for (int i = 0; i < DIMENSION; i++) {
                out[i] = (hash[i] & 0xff) / 255f;
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        long at = System.nanoTime();
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, error("Method not allowed", "invalid_request_error"));
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody());
            } catch (IOException e) {
                reply(exchange, 400, error("We could not parse the JSON body of your request.", "invalid_request_error"));
                return;
            }
            JsonNode input = body.path("input");
            if (!body.path("model").isTextual() || !input.isArray() || input.isEmpty()) {
                reply(exchange, 400, error("'input' must be a non-empty array of strings and 'model' a string",
                        "invalid_request_error"));
                return;
            }
            requests.add(new Request(at, input.size()));
            ObjectNode answer = JSON.createObjectNode().put("object", "list").put("model", body.path("model").asText());
            ArrayNode data = answer.putArray("data");
            long tokens = 0;
            for (int i = 0; i < input.size(); i++) {
                String text = input.get(i).asText();
                tokens += text.split("\\s+").length;
                ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
                ArrayNode values = item.putArray("embedding");
                for (float v : vector(text)) {
                    values.add(v);
                }
            }
            answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
            reply(exchange, 200, answer);
        }
    }

    private static ObjectNode error(String message, String type) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
        return root;
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
