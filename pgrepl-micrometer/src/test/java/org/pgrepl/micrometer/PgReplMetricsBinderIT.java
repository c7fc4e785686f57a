package org.pgrepl.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;

/**
 * The binder against the embedded cluster: a cluster first connected to after binding gets its
 * meters; route counters move by exactly the statements run; host gauges carry the role and
 * address tags and follow a paused replica's lag; HikariCP's own meters sit beside them in the
 * same Prometheus scrape, which names no user, password or SQL.
 */
@ExtendWith(PgClusterExtension.class)
class PgReplMetricsBinderIT {
    private static EmbeddedCluster cluster;
    private static String name;

    @BeforeAll
    static void setUp(EmbeddedCluster c) throws SQLException {
        cluster = c;
        name = String.join(",", c.servers().stream().map(Server::hostAndPort).sorted().toList()) + "/" + c.database();
        try (Connection conn = c.connect(c.primary()); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS binder_rows (id serial PRIMARY KEY, secret_column text)");
        }
        c.awaitReplication();
    }

    private static HikariDataSource pool(String app, boolean readOnly, MeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.pgreplUrl() + "?ApplicationName=" + app + "&monitorInterval=200ms");
        config.setUsername(cluster.user());
        config.setPassword(cluster.password());
        config.setReadOnly(readOnly);
        config.setMaximumPoolSize(4);
        config.setPoolName(app);
        config.setMetricRegistry(registry); // HikariCP's own Micrometer tracker, beside pgrepl's binder
        return new HikariDataSource(config);
    }

    private static double route(MeterRegistry r, String target, String reason) {
        FunctionCounter c = r.find("pgrepl.route").tag("cluster", name).tag("target", target).tag("reason", reason)
                .functionCounter();
        assertThat(c).as("pgrepl.route %s/%s", target, reason).isNotNull();
        return c.count();
    }

    @Test
    void aClusterConnectedAfterBindingGetsCountersThatMoveByTheStatementsRun() throws SQLException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (PgReplMetricsBinder binder = new PgReplMetricsBinder(Duration.ofMillis(200))) {
            binder.bindTo(registry);
            try (HikariDataSource ro = pool("binder-ro", true, registry); HikariDataSource rw = pool("binder-rw", false, registry)) {
                try (Connection c = ro.getConnection()) {
                    c.isValid(1);
                }
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> registry.find("pgrepl.route").tag("cluster", name).functionCounter() != null);
                double replicaBefore = route(registry, "replica", "read_only");
                double writeBefore = route(registry, "primary", "write");
                for (int i = 0; i < 200; i++) {
                    try (Connection c = ro.getConnection(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT count(*) FROM binder_rows")) {
                        rs.next();
                    }
                }
                for (int i = 0; i < 20; i++) {
                    try (Connection c = rw.getConnection(); Statement s = c.createStatement()) {
                        s.executeUpdate("INSERT INTO binder_rows (secret_column) VALUES ('patient-secret-" + i + "')");
                    }
                }
                assertThat(route(registry, "replica", "read_only") - replicaBefore).isEqualTo(200.0);
                assertThat(route(registry, "primary", "write") - writeBefore).isEqualTo(20.0);

                binder.refresh();
                Gauge replicaLag = registry.find("pgrepl.host.lag").tag("cluster", name).tag("role", "replica")
                        .tag("server.port", Integer.toString(cluster.replicas().get(0).port())).gauge();
                assertThat(replicaLag).isNotNull();
                assertThat(replicaLag.value()).isGreaterThanOrEqualTo(0);
                Gauge primaryUp = registry.find("pgrepl.host.up").tag("cluster", name).tag("role", "primary").gauge();
                assertThat(primaryUp.value()).isEqualTo(1.0);
                assertThat(registry.find("pgrepl.primary.writable").tag("cluster", name).gauge().value()).isEqualTo(1.0);
                assertThat(registry.find("pgrepl.monitor.cycles").tag("cluster", name).functionCounter().count()).isPositive();
                FunctionTimer caughtUp = registry.find("pgrepl.ryw.wait").tag("outcome", "caught_up").functionTimer();
                assertThat(caughtUp).isNotNull();
                double connections = registry.find("pgrepl.host.connections").tag("cluster", name).gauges().stream()
                        .mapToDouble(Gauge::value).sum();
                assertThat(connections).isBetween(2.0, 8.0);

                String scrape = registry.scrape();
                assertThat(scrape).contains("pgrepl_route_total{", "pgrepl_host_lag_seconds{", "pgrepl_host_lag_bytes{",
                        "pgrepl_ryw_wait_seconds_count{", "server_address=\"", "server_port=\"", "hikaricp_connections");
                assertThat(scrape).doesNotContain(cluster.password()).doesNotContain("user=")
                        .doesNotContain("patient-secret").doesNotContain("secret_column").doesNotContain("INSERT");
            }
        }
    }

    @Test
    void theLagGaugeOfAPausedReplicaGrowsAndReturnsToZeroAfterResume() throws SQLException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Server paused = cluster.replicas().get(0);
        try (PgReplMetricsBinder binder = new PgReplMetricsBinder(Duration.ofMillis(200));
             Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?monitorInterval=200ms", cluster.credentials())) {
            binder.bindTo(registry);
            Gauge bytes = registry.find("pgrepl.host.lag.bytes").tag("cluster", name)
                    .tag("server.port", Integer.toString(paused.port())).gauge();
            assertThat(bytes).as("lag bytes gauge of %s", paused.hostAndPort()).isNotNull();
            cluster.pauseReplay(paused);
            try {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO binder_rows (secret_column) SELECT 'x' FROM generate_series(1, 1000)");
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bytes.value() > 0);
                Gauge seconds = registry.find("pgrepl.host.lag").tag("cluster", name)
                        .tag("server.port", Integer.toString(paused.port())).gauge();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seconds.value() > 0.5);
            } finally {
                cluster.resumeReplay(paused);
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bytes.value() == 0);
        }
    }
}
