package org.pgrepl.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.pgrepl.micrometer.PgReplMetricsBinder;

/**
 * System E's metrics: pgrepl-micrometer's binder on a Prometheus registry, scraped every second by
 * a daemon thread as a Prometheus server would, so W4 measures what publishing pgrepl's metrics costs.
 */
final class MeteredPgrepl implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PgReplMetricsBinder binder = new PgReplMetricsBinder();
    private final Thread scraper;
    private volatile boolean running = true;
    /** Keeps the scrape's result reachable, so it is not optimized away. */
    volatile int lastScrapeLength;

    private MeteredPgrepl() {
        binder.bindTo(registry);
        scraper = new Thread(() -> {
            while (running) {
                lastScrapeLength = registry.scrape().length();
                try {
                    Thread.sleep(Duration.ofSeconds(1).toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-prometheus-scrape");
        scraper.setDaemon(true);
        scraper.start();
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
