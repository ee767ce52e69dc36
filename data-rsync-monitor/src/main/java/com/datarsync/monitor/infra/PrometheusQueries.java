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
 * Instant and range queries against Prometheus' HTTP API ({@code /api/v1/query}, {@code query_range}), which scrapes every
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

    /** One series of a range query: its labels and its points, {@code [epoch seconds, value]} each. */
    public record Series(Map<String, String> labels, List<double[]> points) {
    }

    public List<Sample> query(String promql) {
        List<Sample> out = new ArrayList<>();
        for (JsonNode series : result("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))) {
            out.add(new Sample(labels(series), Double.parseDouble(series.path("value").get(1).asText())));
        }
        return out;
    }

    /** {@code /api/v1/query_range}: the expression from {@code start} to {@code end} every {@code step}. */
    public List<Series> queryRange(String promql, java.time.Instant start, java.time.Instant end, Duration step) {
        List<Series> out = new ArrayList<>();
        for (JsonNode series : result("api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond() + "&step=" + step.toSeconds())) {
            List<double[]> points = new ArrayList<>();
            for (JsonNode point : series.path("values")) {
                double value = Double.parseDouble(point.get(1).asText());
                // NaN (a rate over one sample) has no place in JSON or in a chart.
                points.add(new double[] {point.get(0).asDouble(), Double.isNaN(value) ? 0 : value});
            }
            out.add(new Series(labels(series), points));
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode series) {
        Map<String, String> labels = new LinkedHashMap<>();
        series.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private JsonNode result(String path) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15)).GET().build(),
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
        return body.path("data").path("result");
    }

    private static DataRsyncException unavailable(String why) {
        return new DataRsyncException(ErrorCode.SERVICE_UNAVAILABLE, "Prometheus did not answer the query: " + why,
                Map.of(), null);
    }
}
