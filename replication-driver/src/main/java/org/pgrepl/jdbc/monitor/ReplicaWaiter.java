package org.pgrepl.jdbc.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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

    private ReplicaWaiter() {
    }

    /**
     * @return true when the replica reached {@code lsn} within {@code timeout}
     * @throws SQLException when the replica connection fails (the caller treats it as down)
     */
    public static boolean await(Connection replica, long lsn, Duration timeout) throws SQLException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String target = Lsn.format(lsn);
        long pause = 0;
        try (PreparedStatement ps = replica.prepareStatement(QUERY)) {
            ps.setString(1, target);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return true;
                    }
                }
                long now = System.nanoTime();
                long left = deadline - now;
                if (left <= 0) {
                    return false;
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
                    return false;
                }
            }
        }
    }
}
