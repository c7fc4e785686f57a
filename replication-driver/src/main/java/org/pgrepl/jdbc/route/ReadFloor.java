package org.pgrepl.jdbc.route;

import java.lang.System.Logger.Level;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.pgrepl.jdbc.config.ReadConsistency;
import org.pgrepl.jdbc.monitor.CausalToken;
import org.pgrepl.jdbc.monitor.Lsn;
import org.pgrepl.jdbc.monitor.ReplicaWaiter;

/**
 * The position a replica read must have seen: this connection's own last commit
 * ({@code session}), any connection's of the cluster in this JVM ({@code process}), and a
 * required causal token. A connection that wrote nothing has no floor and pays nothing.
 */
abstract class ReadFloor {
    private static final System.Logger LOG = System.getLogger("org.pgrepl.jdbc.routing");

    final Router router;
    /** A statement ran on the primary since the floor was last raised: the next read needs its position. */
    boolean wrotePending;
    long lastCommitLsn = Lsn.NONE;
    private long sessionFloor = Lsn.NONE;
    private long tokenFloor = Lsn.NONE;
    boolean tokenNeedsPrimary;

    ReadFloor(Router router) {
        this.router = router;
    }

    /** The floor for the next replica read, raised first by a pending write (one round trip, then none). */
    final long floor() throws SQLException {
        ReadConsistency c = router.config.readConsistency();
        long floor = tokenFloor;
        if (c == ReadConsistency.EVENTUAL) {
            return floor;
        }
        if (wrotePending) {
            Physical p = primaryForFloor();
            if (p != null) {
                publishCommit(p);
            }
        }
        floor = Lsn.max(floor, sessionFloor);
        if (c == ReadConsistency.PROCESS) {
            floor = Lsn.max(floor, router.cluster.processFloor.get());
        }
        return floor;
    }

    abstract Physical primaryForFloor();

    /** Reads the primary's current WAL position: at or past this connection's last commit. */
    final void publishCommit(Physical primary) throws SQLException {
        long lsn = primary.outsideTransaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                rs.next();
                return Lsn.parse(rs.getString(1));
            }
        });
        wrotePending = false;
        lastCommitLsn = Lsn.max(lastCommitLsn, lsn);
        raiseSessionFloor(lsn);
        router.cluster.processFloor.accumulateAndGet(lsn, Lsn::max);
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

    /** Waits on the replica for {@code floor}, bounded by readYourWritesTimeout. */
    final boolean awaitReplay(Physical p, long floor) throws SQLException {
        Duration timeout = router.config.readYourWritesTimeout();
        long t0 = System.nanoTime();
        boolean ok;
        try {
            ok = p.outsideTransaction(c -> ReplicaWaiter.await(c, floor, timeout));
        } catch (SQLException e) {
            throw p.translate(e);
        }
        long micros = (System.nanoTime() - t0) / 1000;
        router.cluster.stats.readYourWritesWait(ok, micros * 1000);
        if (ok) {
            p.reachedLsn = Lsn.max(p.reachedLsn, floor);
        }
        LOG.log(Level.DEBUG, () -> (ok ? "replica " : "replica still behind after ") + p.host + " waited " + micros
                + " us for " + Lsn.format(floor));
        return ok;
    }
}
