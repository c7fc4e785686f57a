package org.pgrepl.jdbc.route;

import java.time.Duration;

/**
 * Whether a host may be tried, from this JVM's own connection attempts: a host that failed is
 * skipped for a back-off that starts at {@code hostRecheck} and doubles with each further
 * failure (at most 32 times the first), then tried again by the next connection that needs it.
 */
final class HostHealth {
    private static final int MAX_DOUBLINGS = 5;

    private volatile long downUntilNanos;
    private int failures;

    /** True when the host is not inside a back-off. */
    boolean usable() {
        long until = downUntilNanos;
        return until == 0 || System.nanoTime() - until >= 0;
    }

    /** True when the host is marked down now. */
    boolean markedDown() {
        return !usable();
    }

    synchronized void markDown(Duration firstBackoff) {
        long backoff = firstBackoff.toNanos() << Math.min(failures, MAX_DOUBLINGS);
        failures++;
        downUntilNanos = System.nanoTime() + backoff;
    }

    synchronized void markUp() {
        failures = 0;
        downUntilNanos = 0;
    }

    /** Milliseconds left in the back-off, for messages. */
    long millisLeft() {
        long until = downUntilNanos;
        return until == 0 ? 0 : Math.max(0, (until - System.nanoTime()) / 1_000_000);
    }
}
