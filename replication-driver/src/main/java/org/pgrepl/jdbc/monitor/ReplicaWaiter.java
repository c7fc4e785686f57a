package org.pgrepl.jdbc.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits, on a replica connection, until the replica has replayed a position. Polls
 * {@code pg_last_wal_replay_lsn()}: one round trip when the replica is already there (the common
 * case); back to back for the first 2 ms, then backing off from 100 µs to 10 ms.
 * ({@code WAIT FOR LSN} exists only from PostgreSQL 19; polling is what runs and is tested here.)
 */
public final class ReplicaWaiter {
    private static final String QUERY = "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn";
    private static final long FAST_PHASE_NANOS = 2_000_000;
    private static final long FIRST_PAUSE_NANOS = 100_000;
    private static final long MAX_PAUSE_NANOS = 10_000_000;

    /** How a wait ended. */
    public enum Outcome {
        /** The replica replayed the position. */
        REACHED,
        /** The time ran out. */
        TIMED_OUT,
        /** {@code stop} said to stop (a cancel from another thread, an interrupt). */
        STOPPED
    }

    private ReplicaWaiter() {
    }

    /**
     * @param timeoutNanos longest wait
     * @param stop         asked between polls: true ends the wait ({@code cancel()} from another thread)
     * @throws SQLException when the replica connection fails (the caller treats it as down)
     */
    public static Outcome await(Connection replica, long lsn, long timeoutNanos, BooleanSupplier stop)
            throws SQLException {
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        String target = Lsn.format(lsn);
        long pause = 0;
        try (PreparedStatement ps = replica.prepareStatement(QUERY)) {
            ps.setString(1, target);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return Outcome.REACHED;
                    }
                }
                long now = System.nanoTime();
                long left = deadline - now;
                if (left <= 0) {
                    return Outcome.TIMED_OUT;
                }
                if (stop.getAsBoolean()) {
                    return Outcome.STOPPED;
                }
                // Replay usually lands within a few hundred microseconds of the commit: ask again at
                // once for the first couple of milliseconds (each ask is a round trip), since a
                // millisecond's sleep would be most of the wait; back off after that.
                if (now - start < FAST_PHASE_NANOS) {
                    continue;
                }
                pause = pause == 0 ? FIRST_PAUSE_NANOS : Math.min(pause * 2, MAX_PAUSE_NANOS);
                LockSupport.parkNanos(Math.min(pause, left));
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    return Outcome.STOPPED;
                }
            }
        }
    }
}
