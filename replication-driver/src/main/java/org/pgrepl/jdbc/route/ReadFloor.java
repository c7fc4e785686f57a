package org.pgrepl.jdbc.route;

import java.lang.System.Logger.Level;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.pgrepl.jdbc.config.ReadConsistency;
import org.pgrepl.jdbc.monitor.CausalToken;
import org.pgrepl.jdbc.monitor.Lsn;
import org.pgrepl.jdbc.monitor.ReplicaWaiter;

/**
 * The position a replica read must have seen: this connection's own last commit and the latest
 * position a primary-served read saw ({@code session}), any connection's of the cluster in this
 * JVM ({@code process}), and a required causal token. A connection that wrote nothing has no
 * floor and pays nothing.
 */
abstract class ReadFloor {
    private static final System.Logger LOG = System.getLogger("org.pgrepl.jdbc.routing");
    /** {@code pg_current_wal_insert_lsn()} after a commit: covers an asynchronous commit record too. */
    private static final String POSITION = "SELECT pg_current_wal_insert_lsn()::text";

    final Router router;
    /** Work ran on the primary since the floor was last raised: the next read needs its position. */
    volatile boolean wrotePending;
    /**
     * A read was served by the primary, or a replica read from was lost before it could say how
     * far it got: the next replica read must reach the primary's position (monotonic reads).
     */
    volatile boolean primaryReadPending;
    /**
     * The primary's pgjdbc connection was handed to the application ({@code unwrap}): COPY, large
     * objects or anything else may write there unseen, so every floor takes a fresh position.
     */
    volatile boolean primaryUnwrapped;
    long lastCommitLsn = Lsn.NONE;
    private long sessionFloor = Lsn.NONE;
    private long tokenFloor = Lsn.NONE;
    boolean tokenNeedsPrimary;

    ReadFloor(Router router) {
        this.router = router;
    }

    /** The floor for the next replica read, raised first by pending work (one round trip, then none). */
    final long floor() throws SQLException {
        ReadConsistency c = router.config.readConsistency();
        long floor = tokenFloor;
        if (c == ReadConsistency.EVENTUAL) {
            return floor;
        }
        boolean unseenWrites = primaryUnwrapped
                || (c == ReadConsistency.PROCESS && router.cluster.unwrappedPrimaries.get() > 0);
        if (wrotePending || primaryReadPending || unseenWrites) {
            try {
                takePrimaryPosition(primaryForFloor());
            } catch (SQLException e) {
                if (!Router.isConnectionProblem(e)) {
                    throw e;
                }
                // The primary session died since the commit: any later position covers it, so a
                // fresh session gives one (or fails clearly, rather than let the floor drop).
                takePrimaryPosition(primaryForFloor());
            }
        }
        floor = Lsn.max(floor, sessionFloor);
        if (c == ReadConsistency.PROCESS) {
            floor = Lsn.max(floor, router.cluster.processFloor.get());
        }
        return floor;
    }

    /**
     * The primary's connection to take a position on: the open one, or a fresh one when it was
     * lost after a commit (any later position covers that commit); fails when none opens, rather
     * than let the floor drop.
     */
    abstract Physical primaryForFloor() throws SQLException;

    /**
     * Reads the primary's current insert position: at or past this connection's last commit, and
     * past anything a read on the primary or on a replica has seen.
     */
    final void takePrimaryPosition(Physical primary) throws SQLException {
        boolean wrote = wrotePending || primaryUnwrapped;
        long lsn;
        try {
            lsn = primary.outsideTransaction(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(POSITION)) {
                    rs.next();
                    return recordEnd(Lsn.parse(rs.getString(1)));
                }
            });
        } catch (SQLException e) {
            throw primary.translate(e);
        }
        wrotePending = false;
        primaryReadPending = false;
        if (wrote) {
            lastCommitLsn = Lsn.max(lastCommitLsn, lsn);
        }
        raiseSessionFloor(lsn);
        router.cluster.processFloor.accumulateAndGet(lsn, Lsn::max);
    }

    /**
     * The insert position points past a page header when the last record ended at a page boundary;
     * a replica's replay position stops at the record's end, and would never reach it on an idle
     * primary. 8 kB pages, 16 MB segments (long header at a segment start): PostgreSQL's defaults.
     */
    static long recordEnd(long insertLsn) {
        if (insertLsn % (16L << 20) == 40) {
            return insertLsn - 40;
        }
        if (insertLsn % 8192 == 24) {
            return insertLsn - 24;
        }
        return insertLsn;
    }

    final void raiseSessionFloor(long lsn) {
        if (router.config.readConsistency() != ReadConsistency.EVENTUAL) {
            sessionFloor = Lsn.max(sessionFloor, lsn);
        }
    }

    final void requireToken(CausalToken t, int currentTimeline) {
        tokenFloor = Lsn.max(tokenFloor, t.lsn());
        tokenNeedsPrimary = currentTimeline > 0 && t.timeline() < currentTimeline;
    }

    /** True when the replica is known to have replayed {@code floor}: the monitor saw it there. */
    final boolean reached(Physical p, long floor) {
        return Lsn.reached(p.reachedLsn, floor)
                || Lsn.reached(router.monitor.state().host(p.hostIndex).replayLsn(), floor);
    }

    /** True when {@code cancel()} was called on a statement of this connection during the wait. */
    abstract boolean waitCancelled();

    /**
     * Waits on the replica for {@code floor}: at most readYourWritesTimeout (false when that ran
     * out), and at most the caller's own bound ({@code boundNanos} > 0: the statement's query
     * timeout or the network timeout), which, like {@code cancel()}, ends the wait with 57014.
     */
    final boolean awaitReplay(Physical p, long floor, long boundNanos) throws SQLException {
        long ryw = router.config.readYourWritesTimeout().toNanos();
        boolean callerBound = boundNanos > 0 && boundNanos < ryw;
        long t0 = System.nanoTime();
        ReplicaWaiter.Outcome outcome;
        try {
            outcome = p.outsideTransaction(c -> ReplicaWaiter.await(c, floor, callerBound ? boundNanos : ryw,
                    this::waitCancelled));
        } catch (SQLException e) {
            throw p.translate(e);
        }
        long micros = (System.nanoTime() - t0) / 1000;
        router.cluster.stats.readYourWritesWait(outcome == ReplicaWaiter.Outcome.REACHED, micros * 1000);
        LOG.log(Level.DEBUG, () -> "replica " + p.host + " waited " + micros + " us for " + Lsn.format(floor)
                + ": " + outcome);
        switch (outcome) {
            case REACHED:
                p.reachedLsn = Lsn.max(p.reachedLsn, floor);
                return true;
            case STOPPED:
                throw new SQLException("pgrepl: canceled while waiting for replica " + p.host + " to replay "
                        + Lsn.format(floor) + " (read-your-writes)", "57014");
            default:
                if (callerBound) {
                    throw new SQLException("pgrepl: the statement's time ran out while waiting for replica " + p.host
                            + " to replay " + Lsn.format(floor) + " (read-your-writes)", "57014");
                }
                return false;
        }
    }
}
