package org.pgrepl.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pgrepl.jdbc.metrics.PgReplMetrics;

/**
 * Publishes pgrepl's driver metrics ({@link PgReplMetrics}) as Micrometer meters, for every
 * pgrepl cluster of this JVM, including clusters first connected to after binding:
 *
 * <ul>
 *   <li>{@code pgrepl.route} counter: statements executed, tagged {@code cluster}, {@code target}
 *       (primary, replica) and {@code reason} (write, read_only, transaction_pinned, lag_exclusion,
 *       read_your_writes_timeout, no_usable_replica, serializable, promotion);</li>
 *   <li>{@code pgrepl.ryw.wait} function timer: read-your-writes waits, tagged {@code outcome}
 *       (caught_up, timed_out, fell_back);</li>
 *   <li>per host, tagged {@code cluster}, {@code server.address}, {@code server.port} and
 *       {@code role}: {@code pgrepl.host.lag} (seconds), {@code pgrepl.host.lag.bytes},
 *       {@code pgrepl.host.up}, {@code pgrepl.host.eligible}, {@code pgrepl.host.streaming},
 *       {@code pgrepl.host.connections};</li>
 *   <li>per cluster: {@code pgrepl.primary.writable}, {@code pgrepl.promotions},
 *       {@code pgrepl.monitor.cycles}, {@code pgrepl.monitor.failures}, {@code pgrepl.lag.exclusions}.</li>
 * </ul>
 *
 * No tag carries SQL, a WAL position, a causal token, a user or a password: the cluster tag is
 * {@code host:port,...,host:port/database}. Counters are read from the driver's adders at each
 * publication; the host rows (whose {@code role} tag changes with a promotion) and newly seen
 * clusters are refreshed by one daemon thread every {@code refreshInterval}. Uses only API that
 * Micrometer 1.15 has. {@link #close()} stops the refresh thread.
 */
public final class PgReplMetricsBinder implements MeterBinder, AutoCloseable {
    private final Duration refreshInterval;
    private final List<RegistryBinding> bindings = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService refresher;

    /** A binder refreshing host rows and the cluster list every second. */
    public PgReplMetricsBinder() {
        this(Duration.ofSeconds(1));
    }

    /** @param refreshInterval how often host rows (roles) and the list of clusters are refreshed */
    public PgReplMetricsBinder(Duration refreshInterval) {
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive: " + refreshInterval);
        }
        this.refreshInterval = refreshInterval;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        RegistryBinding binding = new RegistryBinding(registry);
        bindings.add(binding);
        binding.refresh();
        startRefresher();
    }

    private synchronized void startRefresher() {
        if (refresher != null) {
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgrepl-micrometer-refresh");
            t.setDaemon(true);
            return t;
        });
        long ms = refreshInterval.toMillis();
        refresher.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Registers meters for clusters that appeared since the last refresh and re-tags host rows
     * whose role changed. Runs every {@code refreshInterval}; call it to publish a change at once.
     */
    public void refresh() {
        for (RegistryBinding b : bindings) {
            b.refresh();
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // A registry that refuses a meter must not end the refresh thread; the next run retries.
            System.getLogger(PgReplMetricsBinder.class.getName())
                    .log(System.Logger.Level.WARNING, "pgrepl metrics refresh failed: " + e);
        }
    }

    /** Stops the refresh thread; meters already registered stay and keep reading the driver. */
    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }
}
