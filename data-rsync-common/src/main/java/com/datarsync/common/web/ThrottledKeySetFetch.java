package com.datarsync.common.web;

import com.datarsync.common.security.KeySetFetchThrottle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * The servlet services' JWKS client under a {@link KeySetFetchThrottle}: within the interval
 * after a fetch, the key set fetched then answers instead of auth.
 */
final class ThrottledKeySetFetch implements ClientHttpRequestInterceptor {

    private final KeySetFetchThrottle throttle;

    ThrottledKeySetFetch(KeySetFetchThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        String recent = throttle.recent();
        if (recent != null) {
            return new Remembered(recent);
        }
        ClientHttpResponse response = execution.execute(request, body);
        if (!response.getStatusCode().is2xxSuccessful()) {
            return response;
        }
        String keySet;
        try (response) {
            keySet = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
        }
        throttle.fetched(keySet);
        return new Remembered(keySet);
    }

    /** A key set answered from memory (or re-served after reading it). */
    private record Remembered(String keySet) implements ClientHttpResponse {
        @Override
        public HttpStatusCode getStatusCode() {
            return HttpStatus.OK;
        }

        @Override
        public String getStatusText() {
            return "OK";
        }

        @Override
        public HttpHeaders getHeaders() {
            HttpHeaders headers = new HttpHeaders();
            headers.setContentType(MediaType.APPLICATION_JSON);
            return headers;
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(keySet.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
        }
    }
}
