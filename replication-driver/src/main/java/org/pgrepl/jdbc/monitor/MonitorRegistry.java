package org.pgrepl.jdbc.monitor;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One {@link ClusterMonitor} per cluster (sorted host list, database, user) per JVM, shared by
 * every logical connection and data source of that cluster. Reference counted: the monitor
 * starts with its first lease and stops two intervals after its last lease is closed, so a pool
 * that briefly drops to zero connections does not restart it, and nothing lingers that a test
 * would have to reset.
 */
public final class MonitorRegistry {
    private static final Map<String, Entry> MONITORS = new HashMap<>();
    private static final ScheduledExecutorService REAPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgrepl-monitor-reaper");
        t.setDaemon(true);
        return t;
    });

    private MonitorRegistry() {
    }

    private static final class Entry {
        final ClusterMonitor monitor;
        int leases;
        long generation;

        Entry(ClusterMonitor monitor) {
            this.monitor = monitor;
        }
    }

    /** A hold on a cluster's monitor; close it when the connection or data source closes. */
    public static final class Lease implements AutoCloseable {
        private final String key;
        private final ClusterMonitor monitor;
        private boolean closed;

        private Lease(String key, ClusterMonitor monitor) {
            this.key = key;
            this.monitor = monitor;
        }

        /** The shared monitor. */
        public ClusterMonitor monitor() {
            return monitor;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(key, monitor);
        }
    }

    /** Takes a lease on the cluster's monitor, starting it with {@code factory} if none runs. */
    public static Lease acquire(String key, Supplier<ClusterMonitor> factory) {
        synchronized (MONITORS) {
            Entry e = MONITORS.get(key);
            if (e == null) {
                e = new Entry(factory.get());
                MONITORS.put(key, e);
            }
            e.leases++;
            e.generation++;
            return new Lease(key, e.monitor);
        }
    }

    private static void release(String key, ClusterMonitor monitor) {
        long generation;
        Duration linger;
        synchronized (MONITORS) {
            Entry e = MONITORS.get(key);
            if (e == null || e.monitor != monitor || --e.leases > 0) {
                return;
            }
            generation = e.generation;
            linger = monitor.interval().multipliedBy(2);
        }
        REAPER.schedule(() -> reap(key, monitor, generation), linger.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void reap(String key, ClusterMonitor monitor, long generation) {
        synchronized (MONITORS) {
            Entry e = MONITORS.get(key);
            if (e == null || e.monitor != monitor || e.leases > 0 || e.generation != generation) {
                return;
            }
            MONITORS.remove(key);
        }
        monitor.close();
    }

    /** True while a monitor runs for {@code key} (leased, or within its linger after the last lease). */
    public static boolean isRunning(String key) {
        synchronized (MONITORS) {
            return MONITORS.containsKey(key);
        }
    }

    /** Number of running monitors, for tests and the status view. */
    public static int running() {
        synchronized (MONITORS) {
            return MONITORS.size();
        }
    }
}
