package org.pgrepl.jdbc.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Waits, on a replica connection, until the replica has replayed a position. Polls
 * {@code pg_last_wal_replay_lsn()} with a short back-off: one round trip when the replica is
 * already there (the common case), a bounded wait otherwise. ({@code WAIT FOR LSN} exists only
 * from PostgreSQL 19; polling is what runs and is tested here.)
 */
public final class ReplicaWaiter {
    private static final String QUERY = "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn";

    private ReplicaWaiter() {
    }

    /**
     * @return true when the replica reached {@code lsn} within {@code timeout}
     * @throws SQLException when the replica connection fails (the caller treats it as down)
     */
    public static boolean await(Connection replica, long lsn, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String target = Lsn.format(lsn);
        long pause = 1;
        try (PreparedStatement ps = replica.prepareStatement(QUERY)) {
            ps.setString(1, target);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return true;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                pause = Math.min(pause * 2, 10);
            }
        }
    }
}
