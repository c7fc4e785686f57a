package org.pgrepl.jdbc.monitor;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One {@link ClusterMonitor} per key per JVM, shared by every logical connection and data source
 * of that key. Reference counted: the monitor starts with its first lease and stops two intervals
 * after its last lease is closed, so a pool that briefly drops to zero connections does not
 * restart it, and nothing lingers after the application is done with a cluster: the monitor's
 * sessions are closed and the owner's {@code onStop} (its JMX bean, its map entry) runs.
 */
public final class MonitorRegistry {
    private static final System.Logger LOG = System.getLogger(MonitorRegistry.class.getName());
    /** Guards {@link #MONITORS}; owners run their own per-key bookkeeping under it ({@link #locked}). */
    private static final ReentrantLock LOCK = new ReentrantLock();
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
        final Runnable onStop;
        int leases;
        /** When the last lease was released (valid while {@code leases == 0}). */
        long idleSince;
        /**
         * A reap check is pending. One at most per entry: a connection opened and closed per
         * operation releases its last lease every time, and a task scheduled (and later woken)
         * for each would cost more than the rest of the registry's work.
         */
        boolean reapPending;

        Entry(ClusterMonitor monitor, Runnable onStop) {
            this.monitor = monitor;
            this.onStop = onStop;
        }
    }

    /** A hold on a cluster's monitor; close it when the connection or data source closes. */
    public static final class Lease implements AutoCloseable {
        private final String key;
        private final ClusterMonitor monitor;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(String key, ClusterMonitor monitor) {
            this.key = key;
            this.monitor = monitor;
        }

        /** The shared monitor. */
        public ClusterMonitor monitor() {
            return monitor;
        }

        /** Releases the hold once; later calls do nothing. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(key, monitor);
            }
        }
    }

    /** Takes a lease on the key's monitor, starting it with {@code factory} if none runs. */
    public static Lease acquire(String key, Supplier<ClusterMonitor> factory) {
        return acquire(key, factory, () -> {
        });
    }

    /**
     * Takes a lease on the key's monitor, starting it with {@code factory} if none runs.
     *
     * @param onStop runs once when the monitor started here is retired, under the registry's lock
     *               (so it cannot race a new {@code acquire} of the same key), before the monitor is
     *               closed; ignored when the monitor already runs
     */
    public static Lease acquire(String key, Supplier<ClusterMonitor> factory, Runnable onStop) {
        LOCK.lock();
        try {
            Entry e = MONITORS.get(key);
            if (e == null) {
                e = new Entry(factory.get(), onStop);
                MONITORS.put(key, e);
            }
            e.leases++;
            return new Lease(key, e.monitor);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code action} under the registry's lock, so an owner's own per-key state (a map of
     * clusters) changes atomically with the monitors' and never sees a monitor being retired.
     * Nothing in {@code action} may do network I/O or wait.
     */
    public static <T> T locked(Supplier<T> action) {
        LOCK.lock();
        try {
            return action.get();
        } finally {
            LOCK.unlock();
        }
    }

    private static void release(String key, ClusterMonitor monitor) {
        LOCK.lock();
        try {
            Entry e = MONITORS.get(key);
            if (e == null || e.monitor != monitor || --e.leases > 0) {
                return;
            }
            e.idleSince = System.nanoTime();
            if (e.reapPending) {
                return; // the pending check sees the new idle time and waits on
            }
            e.reapPending = true;
        } finally {
            LOCK.unlock();
        }
        scheduleReap(key, monitor, linger(monitor));
    }

    private static long linger(ClusterMonitor monitor) {
        return monitor.interval().multipliedBy(2).toNanos();
    }

    private static void scheduleReap(String key, ClusterMonitor monitor, long delayNanos) {
        REAPER.schedule(() -> reap(key, monitor), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the monitor once it has been without a lease for its whole linger; else checks again later. */
    private static void reap(String key, ClusterMonitor monitor) {
        LOCK.lock();
        try {
            Entry e = MONITORS.get(key);
            if (e == null || e.monitor != monitor) {
                return;
            }
            if (e.leases > 0) {
                e.reapPending = false; // leased again: its next last release schedules a check
                return;
            }
            long left = e.idleSince + linger(monitor) - System.nanoTime();
            if (left > 0) {
                scheduleReap(key, monitor, left); // released again since this check was scheduled
                return;
            }
            MONITORS.remove(key);
            try {
                e.onStop.run();
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "cluster monitor " + monitor + ": clean-up failed: " + ex);
            }
        } finally {
            LOCK.unlock();
        }
        // Outside the lock: closing joins the monitor's thread, and new connections of another
        // key (or a fresh monitor of this one) must not wait for it.
        monitor.close();
    }

    /**
     * True while {@code monitor} is the one registered for {@code key}: not yet retired. Call it
     * under {@link #locked}, where retiring cannot happen in between.
     */
    public static boolean holds(String key, ClusterMonitor monitor) {
        Entry e = MONITORS.get(key);
        return e != null && e.monitor == monitor;
    }

    /** True while a monitor runs for {@code key} (leased, or within its linger after the last lease). */
    public static boolean isRunning(String key) {
        return locked(() -> MONITORS.containsKey(key));
    }

    /** Number of running monitors, for tests and the status view. */
    public static int running() {
        LOCK.lock();
        try {
            return MONITORS.size();
        } finally {
            LOCK.unlock();
        }
    }
}
