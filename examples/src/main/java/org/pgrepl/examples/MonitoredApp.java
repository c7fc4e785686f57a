package org.pgrepl.examples;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.pgrepl.micrometer.PgReplMetricsBinder;

/**
 * A small application as production would run it: a HikariCP pool over a pgrepl URL, pgrepl's
 * and HikariCP's meters in a Prometheus registry served at {@code /metrics} (the JDK's HTTP
 * server), and a steady load: per borrow one write, then one read on the read-only route.
 */
final class MonitoredApp implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PgReplMetricsBinder binder = new PgReplMetricsBinder();
    private final HikariDataSource pool;
    private final HttpServer server;
    private final Thread load;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;

    /**
     * @param url         the pgrepl URL (read-your-writes on, a lag bound, as an application would set)
     * @param credentials user and password
     * @param metricsPort port of {@code /metrics}; 0 picks a free one
     */
    MonitoredApp(String url, Properties credentials, int metricsPort) throws IOException, SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "readConsistency=session&maxReplicaLag=5s");
        config.setUsername(credentials.getProperty("user"));
        config.setPassword(credentials.getProperty("password"));
        config.setMaximumPoolSize(4);
        config.setPoolName("monitoring-example");
        config.setMetricRegistry(registry);
        pool = new HikariDataSource(config);
        binder.bindTo(registry);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS monitoring_example (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())");
        }
        server = HttpServer.create(new InetSocketAddress(metricsPort), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        load = new Thread(this::load, "monitoring-example-load");
        load.setDaemon(true);
        load.start();
    }

    /** The port {@code /metrics} listens on. */
    int metricsPort() {
        return server.getAddress().getPort();
    }

    /** Borrows that failed (a server stopped under the load); the load goes on. */
    long failures() {
        return failures.get();
    }

    private void load() {
        while (running) {
            try (Connection c = pool.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO monitoring_example DEFAULT VALUES");
                }
                c.setReadOnly(true);
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT count(*) FROM monitoring_example").close();
                }
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
            }
            sleep(Duration.ofMillis(50));
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            load.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        binder.close();
        pool.close();
    }
}
