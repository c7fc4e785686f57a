package org.pgrepl.examples;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.MonitoringStack;
import org.pgrepl.infra.PrometheusApi;
import org.pgrepl.infra.PrometheusApi.Sample;
import org.pgrepl.jdbc.metrics.ClusterSnapshot;
import org.pgrepl.jdbc.metrics.HostSnapshot;
import org.pgrepl.jdbc.metrics.PgReplMetrics;
import org.pgrepl.jdbc.metrics.RouteTarget;

/**
 * {@code mvn -B -q -Pmonitoring -pl examples -am verify -DskipTests}: starts an embedded primary
 * and two replicas, a postgres_exporter per server and Prometheus (Debian's packages, from the
 * compose setup's files), and a small application under load serving {@code /metrics}; prints the
 * Prometheus URL and, every five seconds, the lag per replica (server side and pgrepl's) and the
 * reads per target; stops everything on Ctrl-C. With {@code -Dpgrepl.url=...} (credentials from
 * PGREPL_USER / PGREPL_PASSWORD) it runs only the application against that cluster, as the
 * compose file's {@code app} service does. {@code -Dpgrepl.monitoringSeconds=N} stops after N s.
 */
public final class MonitoringExample {
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("org.pgrepl");

    private MonitoringExample() {
    }

    public static void main(String[] args) throws Exception {
        QUIET.setLevel(java.util.logging.Level.WARNING);
        String given = System.getProperty("pgrepl.url", "");
        int metricsPort = Integer.parseInt(System.getProperty("pgrepl.metricsPort", "").isBlank() ? "0"
                : System.getProperty("pgrepl.metricsPort"));
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "monitoring-example-stop"));
        try {
            if (!given.isBlank()) {
                Properties credentials = new Properties();
                credentials.setProperty("user", System.getenv().getOrDefault("PGREPL_USER", "admin"));
                credentials.setProperty("password", System.getenv().getOrDefault("PGREPL_PASSWORD", ""));
                try (MonitoredApp app = new MonitoredApp(given, credentials, metricsPort)) {
                    System.out.println("pgrepl monitoring example: /metrics on port " + app.metricsPort() + " for " + given);
                    report(null, stop, app);
                }
                return;
            }
            System.out.println("pgrepl monitoring example: starting an embedded primary and two replicas ...");
            try (EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(2).start();
                 MonitoredApp app = new MonitoredApp(cluster.pgreplUrl(), cluster.credentials(), metricsPort)) {
                System.out.println("  servers: " + cluster.servers());
                System.out.println("  application metrics: http://127.0.0.1:" + app.metricsPort() + "/metrics");
                String missing = MonitoringStack.missing();
                if (missing != null) {
                    System.out.println("  no Prometheus: " + missing + "; figures below come from the driver's metrics API");
                    report(null, stop, app);
                    return;
                }
                try (MonitoringStack stack = MonitoringStack.builder(cluster).interval(Duration.ofSeconds(2))
                        .appTarget("127.0.0.1:" + app.metricsPort()).start()) {
                    System.out.println("  Prometheus: " + stack.prometheusUrl() + "  (try pgrepl_route_total,"
                            + " pgrepl_host_lag_seconds, pg_standby_replay_lag_seconds, ALERTS)");
                    System.out.println("  Grafana dashboard to import: infra/grafana/dashboards/pgrepl.json");
                    System.out.println("Press Ctrl-C to stop.");
                    report(stack.api(), stop, app);
                }
            }
        } finally {
            System.out.println("Stopped.");
            stopped.countDown();
        }
    }

    /** Prints live figures every five seconds until Ctrl-C (or pgrepl.monitoringSeconds). */
    private static void report(PrometheusApi api, CountDownLatch stop, MonitoredApp app) throws InterruptedException {
        long seconds = Long.getLong("pgrepl.monitoringSeconds", 0);
        long end = seconds > 0 ? System.nanoTime() + Duration.ofSeconds(seconds).toNanos() : Long.MAX_VALUE;
        while (!stop.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
            try {
                System.out.println(api != null ? fromPrometheus(api) : fromDriver());
            } catch (RuntimeException e) {
                System.out.println("  (no figures yet: " + e.getMessage() + ")");
            }
            if (app.failures() > 0) {
                System.out.println("  failed borrows so far: " + app.failures());
            }
            if (System.nanoTime() - end > 0) {
                return;
            }
        }
    }

    static String fromPrometheus(PrometheusApi api) {
        StringBuilder sb = new StringBuilder("[Prometheus] lag per replica (server / pgrepl):");
        List<Sample> server = api.query("pg_standby_replay_lag_seconds and on (server_address, server_port)"
                + " (pg_standby_in_recovery == 1)");
        for (Sample s : server) {
            String port = s.labels().get("server_port");
            List<Sample> client = api.query("pgrepl_host_lag_seconds{server_port=\"" + port + "\"}");
            sb.append(String.format(Locale.ROOT, "  %s:%s %.1f s / %s", s.labels().get("server_address"), port, s.value(),
                    client.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f s", client.get(0).value())));
        }
        sb.append("\n[Prometheus] statements per second by target:");
        for (Sample s : api.query("sum by (target) (rate(pgrepl_route_total[30s]))")) {
            sb.append(String.format(Locale.ROOT, "  %s %.1f", s.labels().get("target"), s.value()));
        }
        List<Sample> alerts = api.query("ALERTS{alertstate=\"firing\"}");
        sb.append("\n[Prometheus] alerts firing: ").append(alerts.isEmpty() ? "none"
                : alerts.stream().map(a -> a.labels().get("alertname")).distinct().toList());
        return sb.toString();
    }

    static String fromDriver() {
        StringBuilder sb = new StringBuilder();
        for (ClusterSnapshot c : PgReplMetrics.clusters()) {
            sb.append("[pgrepl] ").append(c.name()).append(": primary ").append(c.routes(RouteTarget.PRIMARY))
                    .append(", replica ").append(c.routes(RouteTarget.REPLICA)).append(" statements;");
            for (HostSnapshot h : c.hosts()) {
                sb.append(String.format(Locale.ROOT, "  %s %s lag %.1f s", h.address(), h.role().toLowerCase(Locale.ROOT),
                        h.lagSeconds()));
            }
        }
        return sb.toString();
    }
}
