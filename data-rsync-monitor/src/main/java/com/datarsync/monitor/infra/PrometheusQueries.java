package com.datarsync.monitor.infra;

import com.datarsync.common.error.DataRsyncException;
import com.datarsync.common.error.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Instant queries against Prometheus' HTTP API ({@code /api/v1/query}), which scrapes every
 * service: the monitor's rules are evaluated on the same series as the shipped dashboards and
 * rules file.
 */
@Component
public class PrometheusQueries {

    /** One series of an instant vector: its labels and its value. */
    public record Sample(Map<String, String> labels, double value) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public PrometheusQueries(@Value("${datarsync.monitor.prometheus-url}") String base) {
        this.base = URI.create(base.endsWith("/") ? base : base + "/");
    }

    public List<Sample> query(String promql) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(base.resolve("api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(15)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        } catch (Exception e) {
            throw unavailable(e.toString());
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            throw unavailable("HTTP " + response.statusCode());
        }
        if (!"success".equals(body.path("status").asText())) {
            throw unavailable(body.path("error").asText("HTTP " + response.statusCode()));
        }
        List<Sample> out = new ArrayList<>();
        for (JsonNode series : body.path("data").path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            series.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            out.add(new Sample(labels, Double.parseDouble(series.path("value").get(1).asText())));
        }
        return out;
    }

    private static DataRsyncException unavailable(String why) {
        return new DataRsyncException(ErrorCode.SERVICE_UNAVAILABLE, "Prometheus did not answer the query: " + why,
                Map.of(), null);
    }
}
