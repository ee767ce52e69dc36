package com.datarsync.process.infra;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.datarsync.common.net.OutboundAddressPolicy;
import com.datarsync.common.net.OutboundAddressRefusedException;
import com.datarsync.common.net.OutboundHttp;
import com.datarsync.process.domain.NamedVectorizer;
import com.datarsync.process.domain.Vectorizer;
import com.datarsync.process.domain.VectorizerFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@code openai}: any endpoint that speaks OpenAI's embeddings API ({@code POST <baseUrl>/embeddings}),
 * which also covers local servers with the same protocol.
 *
 * <p>Options: {@code baseUrl} (required, for example {@code https://api.openai.com/v1}),
 * {@code apiKeyEnv} (the environment variable holding the key; omit for servers without auth),
 * {@code dimensions} (sent when set), {@code maxBatch} (texts per request, default 256, at most
 * 2048), {@code timeoutMs} (per request, default 30000), {@code maxRetries} (default 4).
 *
 * <p>429 and 5xx are retried with exponential back-off, waiting at least what {@code Retry-After}
 * asks; 401/403 and other 4xx fail at once with the provider's message; a response with another
 * number of vectors than texts, or vectors of another dimension, is refused.
 */
public class OpenAiCompatibleVectorizers implements VectorizerFactory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_WAIT_MS = 60_000;

    /**
     * What differs between services that speak this protocol.
     *
     * @param defaultBaseUrl used when the task gives none; null makes {@code baseUrl} required
     * @param batchLimit     the most texts the service takes in one request
     * @param sendsEncodingFormat whether the request names {@code encoding_format} (OpenAI's field)
     */
    protected record Dialect(String identifier, String defaultBaseUrl, int batchLimit, boolean sendsEncodingFormat) {
    }

    private static final Dialect OPENAI = new Dialect("openai", null, 2_048, true);

    private final Dialect dialect;
    private final Function<String, String> environment;
    private final Sleeper sleeper;
    // Public addresses only until the service hands over its configured policy.
    private volatile OutboundAddressPolicy policy = OutboundAddressPolicy.allowing(List.of());

    public OpenAiCompatibleVectorizers() {
        this(System::getenv, Thread::sleep);
    }

    /** For tests: the environment and the clock the back-off sleeps on. */
    public OpenAiCompatibleVectorizers(Function<String, String> environment, Sleeper sleeper) {
        this(OPENAI, environment, sleeper);
    }

    protected OpenAiCompatibleVectorizers(Dialect dialect, Function<String, String> environment, Sleeper sleeper) {
        this.dialect = dialect;
        this.environment = environment;
        this.sleeper = sleeper;
    }

    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    @Override
    public String identifier() {
        return dialect.identifier();
    }

    @Override
    public void restrictCallsTo(OutboundAddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public List<String> models() {
        return List.of();
    }

    @Override
    public Vectorizer create(String model, Map<String, String> options) {
        String baseUrl = options.getOrDefault("baseUrl", dialect.defaultBaseUrl());
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("baseUrl is required, an http(s) URL such as https://api.openai.com/v1");
        }
        URI base;
        try {
            base = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a URL");
        }
        String refusal = base.getHost() == null ? "it names no host" : policy.refusalOfHost(base.getHost());
        if (refusal != null) {
            throw new IllegalArgumentException("baseUrl: calls to " + base.getHost() + " are refused: " + refusal);
        }
        String apiKey = null;
        if (options.get("apiKeyEnv") != null) {
            apiKey = environment.apply(options.get("apiKeyEnv"));
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKeyEnv: data-process has no environment variable '"
                        + options.get("apiKeyEnv") + "'");
            }
        }
        Integer dimensions = intOption(options, "dimensions", null, 1, 65_536);
        int maxBatch = intOption(options, "maxBatch", Math.min(256, dialect.batchLimit()), 1, dialect.batchLimit());
        int timeoutMs = intOption(options, "timeoutMs", 30_000, 100, 600_000);
        int maxRetries = intOption(options, "maxRetries", 4, 0, 20);
        return new Remote(model, URI.create(baseUrl.replaceAll("/+$", "") + "/embeddings"), apiKey, dimensions,
                maxBatch, Duration.ofMillis(timeoutMs), maxRetries, new OutboundHttp(policy,
                        Duration.ofMillis(timeoutMs), Duration.ofMillis(timeoutMs)));
    }

    private static Integer intOption(Map<String, String> options, String name, Integer fallback, int min, int max) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
        }
    }

    private final class Remote extends NamedVectorizer {

        private final URI endpoint;
        private final String apiKey;
        private final Integer dimensions;
        private final int maxBatch;
        private final Duration timeout;
        private final int maxRetries;
        private final OutboundHttp http;
        private final AtomicLong tokens = new AtomicLong();
        private volatile int learnedDimension;

        Remote(String model, URI endpoint, String apiKey, Integer dimensions, int maxBatch, Duration timeout,
                int maxRetries, OutboundHttp http) {
            // The API names no version; the requested dimension changes the vectors, so it is part of it.
            super(identifier(), model, dimensions == null ? "api" : "api-d" + dimensions);
            this.endpoint = endpoint;
            this.apiKey = apiKey;
            this.dimensions = dimensions;
            this.maxBatch = maxBatch;
            this.timeout = timeout;
            this.maxRetries = maxRetries;
            this.http = http;
        }

        /** The configured dimension; without one, what the first response showed (0 before it). */
        @Override
        public int dimension() {
            return dimensions != null ? dimensions : learnedDimension;
        }

        @Override
        public long tokensUsed() {
            return tokens.get();
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>(texts.size());
            for (int from = 0; from < texts.size(); from += maxBatch) {
                out.addAll(call(texts.subList(from, Math.min(from + maxBatch, texts.size()))));
            }
            return out;
        }

        private List<float[]> call(List<String> batch) {
            ObjectNode body = JSON.createObjectNode().put("model", modelName());
            if (dialect.sendsEncodingFormat()) {
                body.put("encoding_format", "float");
            }
            ArrayNode input = body.putArray("input");
            batch.forEach(input::add);
            if (dimensions != null) {
                body.put("dimensions", dimensions);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            if (apiKey != null) {
                headers.put("Authorization", "Bearer " + apiKey);
            }
            String json = body.toString();
            DataRsyncException last = null;
            for (int attempt = 0; attempt <= maxRetries; attempt++) {
                long waitMs = Math.min(MAX_WAIT_MS, 500L << attempt);
                try {
                    OutboundHttp.Response response = http.post(endpoint, headers, json);
                    int status = response.status();
                    if (status == 200) {
                        return vectors(response.body(), batch.size());
                    }
                    String message = "the embeddings endpoint answered " + status + ": " + providerMessage(response.body());
                    if (status == 429 || status >= 500) {
                        last = new DataRsyncException(status == 429 ? ErrorCode.RATE_LIMITED : ErrorCode.BAD_GATEWAY,
                                message, Map.of("status", status), null);
                        waitMs = Math.max(waitMs, retryAfterMs(response));
                    } else {
                        ErrorCode code = status == 401 || status == 403 ? ErrorCode.UNAUTHORIZED : ErrorCode.VALIDATION_FAILED;
                        throw new DataRsyncException(code, message, Map.of("status", status), null);
                    }
                } catch (OutboundAddressRefusedException e) {
                    // The name now resolves somewhere the policy refuses: a setting to fix, not an outage.
                    throw new DataRsyncException(ErrorCode.VALIDATION_FAILED, "the embeddings endpoint: "
                            + e.getMessage(), Map.of(), null);
                } catch (HttpTimeoutException e) {
                    last = new DataRsyncException(ErrorCode.UPSTREAM_TIMEOUT, "the embeddings endpoint did not answer in "
                            + timeout.toMillis() + " ms", Map.of(), e);
                } catch (IOException e) {
                    last = new DataRsyncException(ErrorCode.BAD_GATEWAY, "the embeddings endpoint cannot be reached: "
                            + e.getMessage(), Map.of(), e);
                }
                if (attempt < maxRetries) {
                    try {
                        sleeper.sleep(Math.min(waitMs, MAX_WAIT_MS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
            throw last;
        }

        private List<float[]> vectors(String body, int expected) {
            try {
                JsonNode root = JSON.readTree(body);
                JsonNode data = root.path("data");
                if (!data.isArray() || data.size() != expected) {
                    throw new DataRsyncException(ErrorCode.BAD_GATEWAY, "the embeddings endpoint returned "
                            + (data.isArray() ? data.size() : 0) + " vectors for " + expected + " texts", Map.of(), null);
                }
                float[][] out = new float[expected][];
                for (JsonNode item : data) {
                    int index = item.path("index").asInt(-1);
                    JsonNode values = item.path("embedding");
                    if (index < 0 || index >= expected || out[index] != null || !values.isArray()) {
                        throw new DataRsyncException(ErrorCode.BAD_GATEWAY,
                                "the embeddings endpoint returned a vector with a missing or repeated index", Map.of(), null);
                    }
                    float[] vector = new float[values.size()];
                    for (int i = 0; i < vector.length; i++) {
                        vector[i] = (float) values.get(i).asDouble();
                    }
                    int wanted = dimension();
                    if (wanted != 0 && vector.length != wanted) {
                        throw new DataRsyncException(ErrorCode.BAD_GATEWAY, "the embeddings endpoint returned a vector of "
                                + vector.length + " dimensions, not " + wanted, Map.of(), null);
                    }
                    learnedDimension = vector.length;
                    out[index] = vector;
                }
                tokens.addAndGet(root.path("usage").path("total_tokens").asLong(0));
                return List.of(out);
            } catch (IOException e) {
                throw new DataRsyncException(ErrorCode.BAD_GATEWAY, "the embeddings endpoint answered with no JSON",
                        Map.of(), e);
            }
        }
    }

    private static String providerMessage(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.hasNonNull("message")) {
                return error.get("message").asText();
            }
        } catch (IOException ignored) {
            // not JSON: say so below
        }
        return body == null || body.isBlank() ? "(no body)" : body.substring(0, Math.min(body.length(), 200));
    }

    /** Retry-After in seconds or as an HTTP date; 0 when absent or unreadable. */
    static long retryAfterMs(OutboundHttp.Response response) {
        return response.header("Retry-After").map(value -> {
            try {
                return Long.parseLong(value.trim()) * 1000;
            } catch (NumberFormatException e) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
                } catch (RuntimeException unreadable) {
                    return 0L;
                }
            }
        }).orElse(0L);
    }
}
