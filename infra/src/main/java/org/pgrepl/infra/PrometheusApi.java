package org.pgrepl.infra;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The parts of Prometheus's HTTP API that tests and the example read: instant queries and alerts. */
public final class PrometheusApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    /** One series of an instant query: its labels (with {@code __name__} where there is one) and value. */
    public record Sample(Map<String, String> labels, double value) {
    }

    /** One alert: its name, state ({@code pending} or {@code firing}) and labels. */
    public record Alert(String name, String state, Map<String, String> labels) {
    }

    /** @param base {@code http://host:port} of a Prometheus */
    public PrometheusApi(String base) {
        this.base = base;
    }

    /** Evaluates {@code promql} now; fails with Prometheus's error text when it refuses the expression. */
    public List<Sample> query(String promql) {
        Map<String, Object> data = data(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        List<Sample> out = new ArrayList<>();
        String type = (String) data.get("resultType");
        if ("scalar".equals(type)) {
            out.add(new Sample(Map.of(), value((List<?>) data.get("result"))));
            return out;
        }
        for (Object o : (List<?>) data.get("result")) {
            Map<?, ?> series = (Map<?, ?>) o;
            out.add(new Sample(labels(series.get("metric")), value((List<?>) series.get("value"))));
        }
        return out;
    }

    /** The alerts pending or firing now. */
    public List<Alert> alerts() {
        Map<String, Object> data = data(get("/api/v1/alerts"));
        List<Alert> out = new ArrayList<>();
        for (Object o : (List<?>) data.get("alerts")) {
            Map<?, ?> a = (Map<?, ?>) o;
            Map<String, String> labels = labels(a.get("labels"));
            out.add(new Alert(labels.get("alertname"), (String) a.get("state"), labels));
        }
        return out;
    }

    /** Health of each scrape target: its {@code instance} label to {@code up}, {@code down} or {@code unknown}. */
    public Map<String, String> targetHealth() {
        Map<String, Object> data = data(get("/api/v1/targets?state=active"));
        Map<String, String> out = new java.util.TreeMap<>();
        for (Object o : (List<?>) data.get("activeTargets")) {
            Map<?, ?> t = (Map<?, ?>) o;
            out.put(labels(t.get("labels")).get("instance"), (String) t.get("health"));
        }
        return out;
    }

    private static double value(List<?> pair) {
        String v = (String) pair.get(1);
        return switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    private static Map<String, String> labels(Object o) {
        Map<String, String> out = new java.util.TreeMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(String body) {
        Map<String, Object> answer = (Map<String, Object>) MiniJson.parse(body);
        if (!"success".equals(answer.get("status"))) {
            throw new IllegalStateException("Prometheus: " + answer.get("errorType") + ": " + answer.get("error"));
        }
        return (Map<String, Object>) answer.get("data");
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("Prometheus at " + base + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
