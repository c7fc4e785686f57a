package org.pgrepl.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.MonitoringStack;
import org.pgrepl.infra.PrometheusApi;
import org.pgrepl.infra.PrometheusApi.Alert;
import org.pgrepl.infra.PrometheusApi.Sample;
import org.pgrepl.infra.Server;

/**
 * The shipped monitoring against a real Prometheus: Debian's prometheus and a postgres_exporter
 * per server ({@link MonitoringStack}) scrape a 1 + 2 cluster and an application endpoint
 * (pgrepl-micrometer and HikariCP's tracker on a Prometheus registry, under load). Every PromQL
 * expression of the dashboard returns data, and so does every alert's expression with its
 * threshold taken off; with replay paused on both replicas the lag grows in the server-side and
 * the client-side series and the lag alert goes pending then firing, reads falling back fires too,
 * and both clear after resume; a stopped replica fires "not streaming" and its slot "retaining
 * WAL"; a stopped primary fires "no writable primary". The rules run from a test copy with short
 * {@code for:}, windows and bounds; the configuration is read from a 0700 directory the server
 * user cannot enter, which works because the launcher copies what Prometheus reads.
 */
class PrometheusStackIT {
    private static final Path INFRA = Path.of("").toAbsolutePath().getParent().resolve("infra");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void dashboardAndAlertsAgainstARealPrometheus() throws Exception {
        Assumptions.assumeTrue(MonitoringStack.missing() == null,
                () -> "skipped: the Prometheus test " + MonitoringStack.missing() + "; .ci/run installs them");
        Path config = privateCopyOfTheShippedFiles();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer app = metricsEndpoint(registry);
        AtomicBoolean loadRuns = new AtomicBoolean(true);
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(2).start();
             PgReplMetricsBinder binder = new PgReplMetricsBinder(Duration.ofMillis(250));
             HikariDataSource pool = pool(cluster, registry);
             MonitoringStack stack = MonitoringStack.builder(cluster).configSource(config).interval(Duration.ofSeconds(1))
                     .appTarget("127.0.0.1:" + app.getAddress().getPort()).start()) {
            binder.bindTo(registry);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE load_rows (id bigserial PRIMARY KEY, pad text)");
            }
            Thread load = new Thread(() -> load(pool, loadRuns), "load");
            load.start();
            PrometheusApi api = stack.api();
            Awaitility.await().atMost(WAIT).until(() -> api.targetHealth().size() == 4
                    && api.targetHealth().values().stream().allMatch("up"::equals));

            for (String expr : dashboardExpressions()) {
                Awaitility.await("dashboard: " + expr).atMost(WAIT).until(() -> !api.query(expr).isEmpty());
            }
            for (String expr : alertExpressions(Files.readString(config.resolve("prometheus/rules/pgrepl-alerts.yml")))) {
                String series = withoutThresholds(expr);
                Awaitility.await("alert series: " + series).atMost(WAIT).until(() -> !api.query(series).isEmpty());
            }
            assertThat(api.alerts()).as("no alert on a healthy cluster").isEmpty();

            Server r1 = cluster.replicas().get(0);
            Server r2 = cluster.replicas().get(1);
            cluster.pauseReplay(r1);
            cluster.pauseReplay(r2);
            String port = "server_port=\"" + r1.port() + "\"";
            Awaitility.await().atMost(WAIT).until(() -> above(api, "pg_standby_replay_lag_seconds{" + port + "}", 1)
                    && above(api, "pg_standby_replay_lag_bytes{" + port + "}", 0)
                    && above(api, "pgrepl_host_lag_seconds{" + port + "}", 1)
                    && above(api, "pgrepl_host_lag_bytes{" + port + "}", 0));
            awaitAlert(api, "PgReplicaLagHigh", "pending");
            awaitAlert(api, "PgReplicaLagHigh", "firing");
            awaitAlert(api, "PgReplReadsFallingBackToPrimary", "firing");

            cluster.resumeReplay(r1);
            cluster.resumeReplay(r2);
            Awaitility.await("lag alert clears").atMost(WAIT)
                    .until(() -> api.alerts().stream().noneMatch(a -> a.name().equals("PgReplicaLagHigh")));
            Awaitility.await().atMost(WAIT).until(() -> !above(api, "pg_standby_replay_lag_seconds{" + port + "}", 0)
                    && !above(api, "pgrepl_host_lag_bytes{" + port + "}", 0));

            cluster.stop(r2);
            awaitAlert(api, "PgReplicaNotStreaming", "firing");
            try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
                s.execute("INSERT INTO load_rows (pad) SELECT repeat('x', 1000) FROM generate_series(1, 4000)");
            }
            awaitAlert(api, "PgReplicationSlotRetainingWal", "firing");

            cluster.stop(cluster.primary());
            awaitAlert(api, "PgReplNoWritablePrimary", "firing");

            String everything = api.query("{__name__=~\"pgrepl_.*|pg_standby_.*|pg_slot_.*|pg_walsender_.*\"}").toString();
            assertThat(everything).doesNotContain(cluster.password()).doesNotContain("INSERT").doesNotContain("/0");
        } finally {
            loadRuns.set(false);
            app.stop(0);
            deleteTree(config);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The shipped files, copied into a directory only root can enter, with fast test rules. */
    private static Path privateCopyOfTheShippedFiles() throws IOException {
        Path dir = Files.createTempDirectory("pgrepl-monitoring-src", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        for (String f : List.of("prometheus/prometheus.yml", "postgres-exporter/queries.yml")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.copy(INFRA.resolve(f), dir.resolve(f));
        }
        Files.createDirectories(dir.resolve("prometheus/rules"));
        String rules = Files.readString(INFRA.resolve("prometheus/rules/pgrepl-alerts.yml"))
                .replaceAll("for: \\w+", "for: 2s")
                .replace("[5m]", "[20s]")
                .replace("> 30", "> 2")
                .replace("> 1073741824", "> 2097152");
        Files.writeString(dir.resolve("prometheus/rules/pgrepl-alerts.yml"), rules);
        return dir;
    }

    private static List<String> dashboardExpressions() throws IOException {
        String json = Files.readString(INFRA.resolve("grafana/dashboards/pgrepl.json"));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1).replace("\\\"", "\"").replace("$cluster", ".*").replace("$__rate_interval", "20s"));
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(8);
        return out;
    }

    static List<String> alertExpressions(String rules) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("expr: (?:>-\\n((?:\\s{10}.*\\n)+)|(.*)\\n)").matcher(rules);
        while (m.find()) {
            out.add((m.group(1) != null ? m.group(1) : m.group(2)).strip().replaceAll("\\s+", " "));
        }
        assertThat(out).hasSize(5);
        return out;
    }

    /** The series an alert compares: each {@code > N} / {@code == N} taken off. */
    static String withoutThresholds(String expr) {
        return expr.replaceAll("\\s*(>|==)\\s*[0-9.]+", "");
    }

    private static boolean above(PrometheusApi api, String expr, double bound) {
        List<Sample> s = api.query(expr);
        return !s.isEmpty() && s.stream().allMatch(x -> x.value() > bound);
    }

    private static void awaitAlert(PrometheusApi api, String name, String state) {
        Predicate<Alert> wanted = a -> a.name().equals(name) && a.state().equals(state);
        Awaitility.await(name + " " + state).atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> api.alerts().stream().anyMatch(wanted));
    }

    private static HttpServer metricsEndpoint(PrometheusMeterRegistry registry) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static HikariDataSource pool(EmbeddedCluster cluster, PrometheusMeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.pgreplUrl() + "?readConsistency=session&readYourWritesTimeout=300ms&maxReplicaLag=2s"
                + "&monitorInterval=250ms&connectTimeout=2&hostRecheck=1s");
        config.setUsername(cluster.user());
        config.setPassword(cluster.password());
        config.setMaximumPoolSize(4);
        config.setPoolName("monitored");
        config.setMetricRegistry(registry);
        return new HikariDataSource(config);
    }

    /** A write then a read-only read per borrow, about 30 a second; failures (a stopped server) are expected. */
    private static void load(HikariDataSource pool, AtomicBoolean runs) {
        while (runs.get()) {
            try (Connection c = pool.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO load_rows (pad) VALUES ('x')");
                }
                c.setReadOnly(true);
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT count(*) FROM load_rows").close();
                }
            } catch (SQLException | RuntimeException e) {
                // the test stops servers on purpose
            }
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
