package org.pgrepl.jdbc.route;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.pgrepl.jdbc.monitor.ClusterState;
import org.pgrepl.jdbc.monitor.HostState;

/**
 * Whether a host may be tried for a new physical connection, beyond what the monitor says: a
 * host an application could not <em>connect</em> to (refused, timed out) is skipped for a
 * back-off that starts at {@code hostRecheck} and doubles with each further failure (at most 32
 * times the first). The monitor's next successful probe, in a cycle that began after the failure,
 * makes it usable again at once. The failure of an established session (terminated, idle
 * timeout, a socket timeout) never lands here: it says nothing about the host.
 */
final class HostHealth {
    private static final int MAX_DOUBLINGS = 5;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile long downUntilNanos;
    /** The monitor cycle completed when the host was marked down. */
    private volatile long downAtCycle;
    private int failures;

    /** True when the host is not inside a back-off. */
    boolean usable() {
        long until = downUntilNanos;
        return until == 0 || System.nanoTime() - until >= 0;
    }

    /**
     * True when the host is not inside a back-off, or the monitor reached it in a cycle that
     * started after it was marked down (cycle numbers complete in order, so two past the one
     * completed at the failure began after it).
     */
    boolean usable(ClusterState s, int host) {
        if (usable()) {
            return true;
        }
        HostState.Role role = s.host(host).role();
        return s.cycle() >= downAtCycle + 2 && (role == HostState.Role.PRIMARY || role == HostState.Role.REPLICA);
    }

    /** True when the host is marked down now. */
    boolean markedDown() {
        return !usable();
    }

    void markDown(Duration firstBackoff, long monitorCycle) {
        lock.lock();
        try {
            long backoff = firstBackoff.toNanos() << Math.min(failures, MAX_DOUBLINGS);
            failures++;
            downAtCycle = monitorCycle;
            downUntilNanos = System.nanoTime() + backoff;
        } finally {
            lock.unlock();
        }
    }

    void markUp() {
        if (downUntilNanos == 0) {
            return; // the common case: nothing to clear, no lock
        }
        lock.lock();
        try {
            failures = 0;
            downUntilNanos = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Milliseconds left in the back-off, for messages. */
    long millisLeft() {
        long until = downUntilNanos;
        return until == 0 ? 0 : Math.max(0, (until - System.nanoTime()) / 1_000_000);
    }
}
