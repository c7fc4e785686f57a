package org.pgrepl.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.pgrepl.micrometer.PgReplMetricsBinder;

/**
 * System E's metrics: pgrepl-micrometer's binder on a Prometheus registry, scraped every second by
 * a daemon thread as a Prometheus server would, so W4 measures what publishing pgrepl's metrics costs.
 * The second is counted only while E is measured ({@link #active}): the benchmark runs the systems
 * in turns, and a scrape on another system's time would bill that system for E's metrics.
 */
final class MeteredPgrepl implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PgReplMetricsBinder binder = new PgReplMetricsBinder();
    private final Thread scraper;
    private volatile boolean running = true;
    private volatile boolean active = true;
    /** Keeps the scrape's result reachable, so it is not optimized away. */
    volatile int lastScrapeLength;

    private MeteredPgrepl() {
        binder.bindTo(registry);
        scraper = new Thread(() -> {
            long tick = 10;
            long activeMillis = Duration.ofSeconds(1).toMillis();
            while (running) {
                if (activeMillis >= Duration.ofSeconds(1).toMillis()) {
                    lastScrapeLength = registry.scrape().length();
                    activeMillis = 0;
                }
                try {
                    Thread.sleep(tick);
                } catch (InterruptedException e) {
                    return;
                }
                if (active) {
                    activeMillis += tick;
                }
            }
        }, "bench-prometheus-scrape");
        scraper.setDaemon(true);
        scraper.start();
    }

    /** Whether E is being measured now: the scrape clock runs only then. */
    void active(boolean on) {
        active = on;
    }

    static MeteredPgrepl start() {
        return new MeteredPgrepl();
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // a benchmark round ends either way
            }
        }
    }

    @Override
    public void close() {
        running = false;
        scraper.interrupt();
        binder.close();
        registry.close();
    }
}
