package com.datarsync.process.infra;

import com.datarsync.common.net.OutboundAddressPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.process.domain.Vectorizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code openai} and {@code zhipu} providers against a local server that speaks their
 * embeddings protocol: the request body, the {@code data[].index/embedding} and {@code usage}
 * answer, and the error body {@code {"error": {"message", "code", ...}}} with the status codes
 * the APIs use (Zhipu's numeric business codes and Chinese messages included).
 */
class OpenAiCompatibleVectorizersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fake provider's address: loopback, but in the block the local suite lists as a reviewed exception. */
    private static final String PEER = "127.77.0.1";
    private static final OutboundAddressPolicy POLICY = OutboundAddressPolicy.allowing(List.of("127.77.0.0/16"));

    private HttpServer server;
    private final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());
    /** What the fake answers to the n-th request (0-based); the last entry repeats. */
    private final List<Function<JsonNode, Answer>> script = new ArrayList<>();

    private record Answer(int status, String body, Map<String, String> headers, long delayMs) {
        static Answer ok(String body) {
            return new Answer(200, body, Map.of(), 0);
        }
    }

    @BeforeEach
    void startFake() throws IOException {
        server = HttpServer.create(new InetSocketAddress(PEER, 0), 0);
        server.createContext("/v1/embeddings", this::answer);
        // Each request on its own thread, so a slow answer does not hold back the client's retry.
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stopFake() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        int n = requests.size();
        requests.add(request);
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        Answer a = script.get(Math.min(n, script.size() - 1)).apply(request);
        try {
            Thread.sleep(a.delayMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException clientGone) {
            // the client timed out and closed the connection
        }
        exchange.close();
    }

    /** OpenAI's success body: one 3-dimensional vector per input, listed in reverse index order. */
    private static Answer embeddings(JsonNode request) {
        StringBuilder data = new StringBuilder();
        int count = request.get("input").size();
        for (int i = count - 1; i >= 0; i--) {
            String text = request.get("input").get(i).asText();
            data.append(data.isEmpty() ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":[").append(text.length()).append(",0.5,-1.25]}");
        }
        return Answer.ok("{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"" + request.get("model").asText()
                + "\",\"usage\":{\"prompt_tokens\":" + (count * 7) + ",\"total_tokens\":" + (count * 7) + "}}");
    }

    private static Answer error(int status, String type, String code, String message, Map<String, String> headers) {
        return new Answer(status, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type
                + "\",\"param\":null,\"code\":\"" + code + "\"}}", headers, 0);
    }

    private Vectorizer vectorizer(Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(Map.of(
                "baseUrl", "http://" + PEER + ":" + server.getAddress().getPort() + "/v1",
                "apiKeyEnv", "TEST_OPENAI_KEY", "dimensions", "3"));
        options.putAll(extra);
        OpenAiCompatibleVectorizers factory = new OpenAiCompatibleVectorizers(Map.of("TEST_OPENAI_KEY",
                "sk-test-123")::get, sleeps::add);
        factory.restrictCallsTo(POLICY);
        return factory.create("text-embedding-3-small", options);
    }

    @Test
    void embedsInBatchesWithinTheLimitKeepingOrderAndCountingTokens() {
        script.add(OpenAiCompatibleVectorizersTest::embeddings);
        Vectorizer v = vectorizer(Map.of("maxBatch", "2"));

        List<float[]> vectors = v.embed(List.of("a", "bb", "ccc", "dddd", "eeeee"));

        assertThat(vectors).extracting(f -> f[0]).containsExactly(1f, 2f, 3f, 4f, 5f);
        assertThat(requests).extracting(r -> r.get("input").size()).containsExactly(2, 2, 1);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.get("model").asText()).isEqualTo("text-embedding-3-small");
            assertThat(r.get("dimensions").asInt()).isEqualTo(3);
        });
        assertThat(authorizations).containsOnly("Bearer sk-test-123");
        assertThat(v.tokensUsed()).isEqualTo(35);
        assertThat(v.dimension()).isEqualTo(3);
    }

    @Test
    void a429IsRetriedAfterWhatRetryAfterAsks() {
        script.add(r -> error(429, "requests", "rate_limit_exceeded", "Rate limit reached", Map.of("Retry-After", "7")));
        script.add(OpenAiCompatibleVectorizersTest::embeddings);

        assertThat(vectorizer(Map.of()).embed(List.of("x"))).hasSize(1);
        assertThat(requests).hasSize(2);
        assertThat(sleeps).containsExactly(7_000L);
    }

    @Test
    void a500IsRetriedWithBackOffThenSucceeds() {
        script.add(r -> error(500, "server_error", "internal", "The server had an error", Map.of()));
        script.add(OpenAiCompatibleVectorizersTest::embeddings);

        assertThat(vectorizer(Map.of()).embed(List.of("x", "y"))).hasSize(2);
        assertThat(sleeps).containsExactly(500L);
    }

    @Test
    void a401FailsAtOnceWithTheProvidersMessageAndNoRetry() {
        script.add(r -> error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided", Map.of()));

        assertThatThrownBy(() -> vectorizer(Map.of()).embed(List.of("x")))
                .isInstanceOfSatisfying(DataRsyncException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.errorCode().retriable()).isFalse();
                    assertThat(e.getMessage()).contains("401").contains("Incorrect API key provided")
                            .doesNotContain("sk-test-123");
                });
        assertThat(requests).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aServerThatDoesNotAnswerInTimeFailsAsATimeoutAfterTheRetries() {
        script.add(r -> new Answer(200, "{}", Map.of(), 1_500));

        assertThatThrownBy(() -> vectorizer(Map.of("timeoutMs", "200", "maxRetries", "1")).embed(List.of("x")))
                .isInstanceOfSatisfying(DataRsyncException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT));
        assertThat(requests).hasSize(2);
    }

    @Test
    void anAnswerWithTheWrongNumberOfVectorsIsRefused() {
        script.add(r -> Answer.ok("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                + "\"embedding\":[1,2,3]}],\"model\":\"m\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}"));

        assertThatThrownBy(() -> vectorizer(Map.of()).embed(List.of("x", "y")))
                .isInstanceOfSatisfying(DataRsyncException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_GATEWAY);
                    assertThat(e.getMessage()).contains("returned 1 vectors for 2 texts");
                });
    }

    @Test
    void aBaseUrlOnTheSuitesOwnOrPrivateAddressesIsRefusedBeforeAnyCall() {
        OpenAiCompatibleVectorizers factory = new OpenAiCompatibleVectorizers(k -> null, sleeps::add);
        factory.restrictCallsTo(POLICY);
        for (String base : List.of("http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                "http://localhost:19090/v1", "https://169.254.169.254/latest", "https://10.0.0.8/v1",
                "https://[::1]:8848/nacos")) {
            assertThatThrownBy(() -> factory.create("m", Map.of("baseUrl", base))).as(base)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("are refused");
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void missingOptionsAreRefusedNamingThem() {
        OpenAiCompatibleVectorizers factory = new OpenAiCompatibleVectorizers(k -> null, sleeps::add);
        assertThatThrownBy(() -> factory.create("m", Map.of())).hasMessageContaining("baseUrl is required");
        assertThatThrownBy(() -> factory.create("m", Map.of("baseUrl", "http://x", "apiKeyEnv", "NOPE")))
                .hasMessageContaining("no environment variable 'NOPE'");
        assertThatThrownBy(() -> factory.create("m", Map.of("baseUrl", "http://x", "maxBatch", "5000")))
                .hasMessageContaining("maxBatch must be a whole number from 1 to 2048");
    }

    private Vectorizer zhipu(Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(Map.of(
                "baseUrl", "http://" + PEER + ":" + server.getAddress().getPort() + "/v1",
                "apiKeyEnv", "TEST_ZHIPU_KEY", "dimensions", "3"));
        options.putAll(extra);
        ZhipuVectorizers factory = new ZhipuVectorizers(Map.of("TEST_ZHIPU_KEY", "zp.abc")::get, sleeps::add);
        factory.restrictCallsTo(POLICY);
        return factory.create("embedding-3", options);
    }

    @Test
    void zhipuSplitsAtItsLimitOf64AndSendsNoOpenAiOnlyFields() {
        script.add(OpenAiCompatibleVectorizersTest::embeddings);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            texts.add("文本" + "字".repeat(i % 5));
        }

        List<float[]> vectors = zhipu(Map.of()).embed(texts);

        assertThat(vectors).hasSize(130);
        assertThat(vectors.get(129)[0]).isEqualTo(texts.get(129).length());
        assertThat(requests).extracting(r -> r.get("input").size()).containsExactly(64, 64, 2);
        assertThat(requests).allSatisfy(r -> assertThat(r.has("encoding_format")).isFalse());
        assertThat(authorizations).containsOnly("Bearer zp.abc");
        assertThatThrownBy(() -> zhipu(Map.of("maxBatch", "100")))
                .hasMessageContaining("maxBatch must be a whole number from 1 to 64");
    }

    @Test
    void zhipuRateLimitsAreRetriedAndAuthErrorsFailWithItsMessage() {
        script.add(r -> error(429, "", "1302", "您当前使用该API的并发数过高，请降低并发", Map.of("Retry-After", "1")));
        script.add(OpenAiCompatibleVectorizersTest::embeddings);
        assertThat(zhipu(Map.of()).embed(List.of("你好"))).hasSize(1);
        assertThat(sleeps).containsExactly(1_000L);

        script.clear();
        requests.clear();
        script.add(r -> error(401, "", "1000", "身份验证失败。", Map.of()));
        assertThatThrownBy(() -> zhipu(Map.of()).embed(List.of("你好")))
                .isInstanceOfSatisfying(DataRsyncException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("身份验证失败").doesNotContain("zp.abc");
                });
        assertThat(requests).hasSize(1);
    }
}
