package org.pgrepl.jdbc.monitor;

import java.util.concurrent.atomic.LongAdder;
import org.pgrepl.jdbc.metrics.ReadYourWritesOutcome;
import org.pgrepl.jdbc.metrics.RouteReason;
import org.pgrepl.jdbc.metrics.RouteTarget;

/**
 * Counters of one cluster, shared by its connections and its monitor. {@link LongAdder}s, so
 * counting on the hot path costs no contention between threads; read through
 * {@link org.pgrepl.jdbc.metrics.PgReplMetrics}.
 */
public final class ClusterStats {
    private static final int REASONS = RouteReason.values().length;
    private static final int OUTCOMES = ReadYourWritesOutcome.values().length;
    /**
     * A timed-out wait's duration, until the caller decides between falling back and failing (on
     * the same thread, right after the wait), so each wait is recorded once under its final outcome.
     */
    private static final ThreadLocal<long[]> PENDING_TIMEOUT = ThreadLocal.withInitial(() -> new long[] {-1});

    private final LongAdder[] routes = adders(RouteTarget.values().length * REASONS);
    private final LongAdder[] waits = adders(OUTCOMES);
    private final LongAdder[] waitNanos = adders(OUTCOMES);
    /** Replicas skipped because of lag bounds. */
    public final LongAdder lagExclusions = new LongAdder();
    /** Times the monitor saw the writable host move to another host. */
    public final LongAdder promotions = new LongAdder();
    /** Completed monitor cycles (over every monitor this cluster has had). */
    public final LongAdder monitorCycles = new LongAdder();
    /** Failed host checks and failed cycles. */
    public final LongAdder monitorFailures = new LongAdder();

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** One statement execution ran on {@code target} for {@code reason}. */
    public void routed(RouteTarget target, RouteReason reason) {
        routes[target.ordinal() * REASONS + reason.ordinal()].increment();
    }

    /** Statement executions routed to {@code target} for {@code reason}. */
    public long routes(RouteTarget target, RouteReason reason) {
        return routes[target.ordinal() * REASONS + reason.ordinal()].sum();
    }

    /**
     * A read-your-writes wait ended: caught up, recorded at once; timed out, recorded when
     * {@link #readYourWritesTimeout} says what followed.
     */
    public void readYourWritesWait(boolean caughtUp, long nanos) {
        if (caughtUp) {
            record(ReadYourWritesOutcome.CAUGHT_UP, nanos);
        } else {
            PENDING_TIMEOUT.get()[0] = nanos;
        }
    }

    /** After a wait timed out: the read fell back to the primary, or failed. */
    public void readYourWritesTimeout(boolean fellBack) {
        long[] pending = PENDING_TIMEOUT.get();
        long nanos = Math.max(0, pending[0]);
        pending[0] = -1;
        record(fellBack ? ReadYourWritesOutcome.FELL_BACK : ReadYourWritesOutcome.TIMED_OUT, nanos);
    }

    private void record(ReadYourWritesOutcome outcome, long nanos) {
        waits[outcome.ordinal()].increment();
        waitNanos[outcome.ordinal()].add(nanos);
    }

    /** Waits that ended with {@code outcome}. */
    public long waits(ReadYourWritesOutcome outcome) {
        return waits[outcome.ordinal()].sum();
    }

    /** Their total duration in nanoseconds. */
    public long waitNanos(ReadYourWritesOutcome outcome) {
        return waitNanos[outcome.ordinal()].sum();
    }
}
