package org.pgrepl.bench;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the routing check of every worker of a system at once, each on a thread of its own, the
 * workers meeting inside every check while each holds its connection ({@link RoutingProbe#meet}).
 *
 * <p>Why at once: a pool hands a thread the connection that thread used last, so checks run one
 * after another on one thread all checked the same pooled connection, and the other seven of a
 * pool of eight were never checked. Held at the same moment, the checks of a pool's worth of
 * workers take every connection of the pool. That also opens, before the timed phase, what a
 * system opens only on first use: pgrepl opens a logical connection's replica and primary
 * sessions lazily, while HikariCP fills a pool of plain pgjdbc connections as it opens. Checked
 * one after another, a pgrepl pool entered its timed phase with sessions still to open: about
 * three logins in each 1.5 s W4 phase, against none for the pools of hand routing, which put B
 * about 3 % below them (benchmarks README, "Issue 18").
 */
final class RoutingChecks {
    private RoutingChecks() {
    }

    /** Checks every worker; the first failure (a {@link MisroutedException} included) is thrown. */
    static void all(Worker[] workers, RoutingProbe probe) throws Exception {
        if (workers.length == 1) {
            workers[0].checkRouting(probe);
            return;
        }
        // Throwable, not Exception: a LinkageError from a driver must reach the caller (which
        // reports it) rather than die with its thread while the others wait out the meeting.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[workers.length];
        probe.meetAt(new CyclicBarrier(workers.length));
        try {
            for (int i = 0; i < workers.length; i++) {
                Worker worker = workers[i];
                threads[i] = new Thread(() -> {
                    try {
                        worker.checkRouting(probe);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                        probe.giveUpMeeting();
                    }
                }, "bench-routing-check-" + i);
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            probe.meetAt(null);
        }
        Throwable f = failure.get();
        if (f instanceof Error error) {
            throw error;
        }
        if (f != null) {
            throw (Exception) f;
        }
    }
}
