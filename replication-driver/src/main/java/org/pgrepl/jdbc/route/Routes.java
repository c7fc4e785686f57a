package org.pgrepl.jdbc.route;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.pgrepl.jdbc.config.PgReplUrl;
import org.pgrepl.jdbc.config.ReadConsistency;
import org.pgrepl.jdbc.config.ReadFallback;
import org.pgrepl.jdbc.metrics.RouteReason;
import org.pgrepl.jdbc.monitor.ClusterState;
import org.pgrepl.jdbc.monitor.HostState;
import org.pgrepl.jdbc.monitor.Lsn;
import org.pgrepl.jdbc.monitor.MonitorRegistry;
import org.pgrepl.jdbc.wrap.RouteSource;

/**
 * The routing state of a logical connection: which physical connection serves the current
 * route, when to open, re-pick or drop one, and the read floor that read-your-writes, monotonic
 * reads and causal tokens impose on replica reads.
 *
 * <p>Several threads may share a logical connection, and {@code close()} or {@code abort()} may
 * come from another thread while a route is being opened (JDBC allows both): route changes hold
 * {@link #lock} (a {@link ReentrantLock}: a virtual thread waiting on it does not pin its
 * carrier), close and abort take no lock and never wait, and a physical connection opened after
 * close began is closed at once, so nothing outlives the logical connection.
 */
abstract class Routes extends Lifecycle implements RouteSource {
    private static final System.Logger LOG = System.getLogger("org.pgrepl.jdbc.routing");

    final SessionState state = new SessionState();
    volatile boolean readOnly;
    private volatile boolean waitCancelled;
    /** A replica whose connection just failed: the one retry of a read goes elsewhere when it can. */
    private int excludeOnce = -1;
    /** Why the last route went where it did, for the route counters. */
    volatile RouteReason routeReason = RouteReason.WRITE;

    Routes(PgReplUrl url, Cluster cluster, MonitorRegistry.Lease lease) {
        super(new Router(url, cluster, lease.monitor()), lease);
        this.readOnly = url.config().readOnly();
    }

    @Override
    public final Physical routeForExecution(int queryTimeoutSeconds) throws SQLException {
        return route(queryTimeoutSeconds, true);
    }

    /** The physical connection for the current route, opened, re-picked and synced as needed. */
    final Physical route() throws SQLException {
        return route(0, true);
    }

    /**
     * The current route's connection for a statement being created: opened (so a wrong password
     * or an unreachable host fails here, as with pgjdbc), but the read floor is waited for when
     * the statement executes, within that execution's bounds.
     */
    final Physical routeForCreation() throws SQLException {
        Physical p = currentOrNull();
        if (p != null && lostTransaction == null && !closed) {
            // Already open: the statement is made here; its first execution re-checks the route
            // (re-pick, promotion, read floor) and moves it if that says so.
            try {
                p.sync(state);
                return p;
            } catch (SQLException e) {
                throw p.translate(e);
            }
        }
        return route(0, true, false);
    }

    final Physical route(int queryTimeoutSeconds, boolean forWork) throws SQLException {
        return route(queryTimeoutSeconds, forWork, forWork);
    }

    /**
     * The current route's connection for {@code isValid(timeout)}: no lost-transaction check, no
     * read-floor wait, and opening it (the monitor's first cycle, a login) ends by the deadline.
     */
    final Physical routeForValidation(int timeoutSeconds) throws SQLException {
        lock.lock();
        try {
            router.deadlineNanos = timeoutSeconds > 0 ? System.nanoTime() + timeoutSeconds * 1_000_000_000L : 0;
            return route(0, false, false);
        } finally {
            router.deadlineNanos = 0;
            lock.unlock();
        }
    }

    /**
     * @param queryTimeoutSeconds the statement's bound on pgrepl's waits (0: none)
     * @param checkLost false for {@code isValid}: a lost transaction does not make a connection invalid
     * @param awaitFloor false where nothing is read yet: no read-floor wait
     */
    private Physical route(int queryTimeoutSeconds, boolean checkLost, boolean awaitFloor) throws SQLException {
        lock.lock();
        try {
            checkOpen();
            if (checkLost) {
                if (!readOnly) {
                    abandonIfReplaced(primary, state.autoCommit);
                }
                checkLostTransaction();
            }
            if (awaitFloor) {
                waitCancelled = false;
            }
            long bound = waitBound(queryTimeoutSeconds);
            router.statementDeadlineNanos = bound > 0 ? System.nanoTime() + bound : 0;
            Physical p = readOnly ? readRoute(bound, awaitFloor) : writeRoute();
            try {
                p.sync(state);
            } catch (SQLException e) {
                throw p.translate(e);
            }
            checkOpen();
            return p;
        } finally {
            router.statementDeadlineNanos = 0;
            if (closed) {
                dropAll(); // closed by another thread while this one routed, whatever it opened
            }
            lock.unlock();
        }
    }

    /** The smallest bound the caller set on this execution: query timeout or network timeout. */
    private long waitBound(int queryTimeoutSeconds) {
        long bound = queryTimeoutSeconds > 0 ? queryTimeoutSeconds * 1_000_000_000L : 0;
        if (state.networkTimeout > 0) {
            long network = state.networkTimeout * 1_000_000L;
            bound = bound == 0 ? network : Math.min(bound, network);
        }
        return bound;
    }

    @Override
    final Physical currentOrNull() {
        Physical p = readOnly ? readPhysical : primary;
        return p == null || p.broken ? null : p;
    }

    @Override
    public final Connection logical() {
        return (Connection) this;
    }

    @Override
    public final void cancelWait() {
        waitCancelled = true;
    }

    @Override
    final boolean waitCancelled() {
        return waitCancelled;
    }

    private Physical writeRoute() throws SQLException {
        Physical p = primary;
        if (p != null && !p.broken && !p.inTransaction() && router.config.followPromotion()) {
            ClusterState s = router.monitor.state();
            if (s.writable() >= 0 && s.writable() != p.hostIndex) {
                LOG.log(Level.DEBUG, () -> "primary moved from " + p.host + " to " + router.cluster.hosts.get(s.writable())
                        + ": reopening the read-write route");
                drop(p);
            }
        }
        Physical w = openPrimaryIfNeeded();
        if (w.readOnlySession) {
            w = sessionMode(w, false);
        }
        routeReason = RouteReason.WRITE;
        return w;
    }

    private Physical openPrimaryIfNeeded() throws SQLException {
        if (primary == null || primary.broken) {
            primary = router.openPrimary(this);
            closedWhileOpening(primary);
        }
        return primary;
    }

    /**
     * {@code close()} or {@code abort()} may have run on another thread while this one opened a
     * physical connection (they take no lock): such a connection is closed at once, whatever path
     * opened it (a route, a read floor's fresh primary session, a retry), so none outlives the
     * logical connection.
     */
    private void closedWhileOpening(Physical p) throws SQLException {
        if (closed && p != null) {
            drop(p);
            checkOpen();
        }
    }

    private Physical readRoute(long waitBound, boolean awaitFloor) throws SQLException {
        Physical p = readPhysical;
        if (p != null && !p.broken && p.inTransaction()) {
            return p; // a transaction finishes where it began
        }
        if (state.isolation == Connection.TRANSACTION_SERIALIZABLE || tokenNeedsPrimary) {
            // A standby runs no serializable transaction; a token from an older timeline names a
            // position that may not exist on the current one: the primary, read-only, serves both.
            return fallbackToPrimary(state.isolation == Connection.TRANSACTION_SERIALIZABLE
                    ? "serializable read-only transaction" : "causal token from an older timeline");
        }
        if (p != null && !p.broken && p == primary) {
            // Fell back earlier. Back to a replica as soon as one is usable; until then the
            // primary serves again, put back in read-only mode (a write in between reset it).
            if (router.usableReplicas(router.monitor.state(), -1).isEmpty()) {
                return fallbackOrFail("no usable replica");
            }
            readPhysical = null;
            p = null;
        }
        if (p != null && !p.broken && !stillGood(p)) {
            leave(p);
            p = null;
        }
        if (p == null || p.broken) {
            p = openReplica();
            if (p == null) {
                return fallbackOrFail("no usable replica");
            }
        }
        if (!awaitFloor) {
            return p;
        }
        long floor = floor();
        if (floor != Lsn.NONE && !reached(p, floor) && !awaitReplay(p, floor, waitBound)) {
            return afterWaitTimeout(floor);
        }
        routeReason = RouteReason.READ_ONLY;
        return p;
    }

    private Physical openReplica() throws SQLException {
        int exclude = excludeOnce;
        excludeOnce = -1;
        Physical p = null;
        if (exclude >= 0) {
            p = router.openReplica(this, exclude);
        }
        if (p == null) {
            p = router.openReplica(this, -1);
        }
        readPhysical = p;
        closedWhileOpening(p);
        return p;
    }

    /** Whether the read connection may serve the next read-only transaction. */
    private boolean stillGood(Physical p) {
        ClusterState s = router.monitor.state();
        HostState h = s.host(p.hostIndex);
        return router.cluster.health(p.hostIndex).usable(s, p.hostIndex)
                && (h.role() == HostState.Role.UNKNOWN || router.usableByMonitor(h));
    }

    private Physical fallbackOrFail(String why) throws SQLException {
        if (router.config.readFallback() == ReadFallback.FAIL) {
            throw new SQLException("pgrepl: " + why + " and readFallback=fail; hosts: "
                    + router.describe(router.monitor.state()), "08001");
        }
        return fallbackToPrimary(why);
    }

    private Physical fallbackToPrimary(String why) throws SQLException {
        LOG.log(Level.DEBUG, () -> "read served by the primary: " + why);
        routeReason = router.cluster.fallbackReason(why, router);
        if (readPhysical != null && readPhysical != primary) {
            leave(readPhysical);
        }
        Physical p = sessionMode(openPrimaryIfNeeded(), true);
        readPhysical = p;
        return p;
    }

    /**
     * Puts the primary's session in read-only (a read it serves) or read-write mode, synced with the
     * session state. An idle session may have died since its last use (a restart, a switchover,
     * an idle timeout): nothing of the application's has run on it yet, so a fresh session is
     * opened once, rather than fail the call and leave the dead one in place.
     */
    private Physical sessionMode(Physical p, boolean readOnlyMode) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                p.sync(state);
                p.setReadOnlySession(readOnlyMode);
                return p;
            } catch (SQLException e) {
                SQLException t = p.translate(e); // a connection problem drops the session
                if (attempt > 0 || !Router.isConnectionProblem(e) || p.inTransaction()) {
                    throw t;
                }
                p = openPrimaryIfNeeded();
            }
        }
    }

    private Physical afterWaitTimeout(long floor) throws SQLException {
        router.cluster.stats.readYourWritesTimeout(router.config.readFallback() != ReadFallback.FAIL);
        if (router.config.readFallback() == ReadFallback.FAIL) {
            throw new SQLException("pgrepl: no replica replayed " + Lsn.format(floor) + " within readYourWritesTimeout="
                    + router.config.readYourWritesTimeout().toMillis() + "ms and readFallback=fail", "57014");
        }
        return fallbackToPrimary("replica behind the read floor " + Lsn.format(floor) + " after the wait");
    }

    /** Leaves a replica: its replay position joins the floor first, so later reads never go back in time. */
    private void leave(Physical p) {
        if (p != primary && router.config.readConsistency() != ReadConsistency.EVENTUAL && !p.broken) {
            try (Statement s = p.conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_last_wal_replay_lsn()::text")) {
                if (rs.next() && rs.getString(1) != null) {
                    raiseSessionFloor(Lsn.parse(rs.getString(1)));
                }
            } catch (SQLException e) {
                primaryReadPending = true;
            }
        }
        drop(p);
    }

    /**
     * The one retry of a read-only autocommit read that met a broken connection before any row
     * reached the caller; the next route goes to another host where one is usable. Not after a
     * timeout or a cancel (the caller's time ran out: a retry would take as long again, and move
     * load), and nothing else: a write, or anything in a transaction, may have taken effect.
     */
    final boolean rerouteRead(Physical failed, SQLException e) {
        if (closed || !readOnly || !state.autoCommit || !(failed.readRoute || failed.readOnlySession)
                || !Router.isConnectionProblem(e) || Router.isTimeout(e)) {
            return false;
        }
        if (failed.readRoute) {
            excludeOnce = failed.hostIndex;
        }
        connectionFailed(failed, e);
        LOG.log(Level.DEBUG, () -> "read on " + failed.host + " failed (" + e.getSQLState() + "); retrying once");
        return true;
    }

    /**
     * A connection-level failure of one established session: that physical connection only is
     * dropped. The host is not marked down (one session's end says nothing of the host; the
     * monitor and the next connect attempt do). An open transaction is lost with it, and stays
     * lost until the application ends it.
     */
    final void connectionFailed(Physical p, SQLException e) {
        if (p.broken) {
            return;
        }
        boolean inTransaction = !state.autoCommit && p.inTransaction();
        p.broken = true;
        if (inTransaction) {
            lostTransaction = p.host.toString();
        }
        if (p.readRoute && p != primary && router.config.readConsistency() != ReadConsistency.EVENTUAL) {
            primaryReadPending = true; // the lost replica can no longer say how far this session read
        }
        LOG.log(Level.DEBUG, () -> "connection to " + p.host + " failed (" + e.getSQLState() + ")"
                + (inTransaction ? "; its transaction is lost" : ""));
        drop(p);
    }

    @Override
    final Physical primaryForFloor() throws SQLException {
        lock.lock();
        try {
            Physical p = primary;
            if (p != null && !p.broken) {
                return p;
            }
            try {
                // Given the session state at once, like any route: the application's rollback()
                // or commit() after this may land here, and pgjdbc refuses both on a session still
                // in autocommit while the logical connection is not (found by the model test:
                // HikariCP's rollback on return then failed and skipped its state reset).
                Physical fresh = openPrimaryIfNeeded();
                try {
                    fresh.sync(state);
                } catch (SQLException e) {
                    throw fresh.translate(e);
                }
                return fresh;
            } catch (SQLException e) {
                throw new SQLException("pgrepl: this connection's last write or primary read cannot be placed (its"
                        + " primary session was lost and no new one opens), so a replica read could miss it: "
                        + e.getMessage(), "08006", e);
            }
        } finally {
            lock.unlock();
        }
    }

    final void beforeExecute(Physical p) throws SQLException {
        if (state.isolation >= 0 && router.config.transactionPooling() && !p.inTransaction()) {
            isolationForThisTransaction(p);
        }
        if (p == primary && !p.readOnlySession) {
            wrotePending = true;
        }
        router.cluster.routed(p, routeReason);
    }

    /**
     * Behind a transaction pooler, pgjdbc's SET SESSION CHARACTERISTICS would stay on a server
     * session other clients then use: the level is set at the start of each transaction instead,
     * and refused where there is no transaction to set it in.
     */
    private void isolationForThisTransaction(Physical p) throws SQLException {
        if (state.autoCommit) {
            if (state.isolation != Connection.TRANSACTION_READ_COMMITTED) {
                throw new SQLException("pgrepl: transaction isolation " + isolationName(state.isolation)
                        + " needs autoCommit off with transactionPooling=true (it is set per transaction there;"
                        + " a session-level setting would reach other clients of the pooler)", "0A000");
            }
            return;
        }
        try (Statement s = p.conn.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL " + isolationName(state.isolation)); // pgjdbc sends BEGIN first
        } catch (SQLException e) {
            throw p.translate(e);
        }
    }

    private static String isolationName(int level) {
        return switch (level) {
            case Connection.TRANSACTION_READ_UNCOMMITTED -> "READ UNCOMMITTED";
            case Connection.TRANSACTION_REPEATABLE_READ -> "REPEATABLE READ";
            case Connection.TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
            default -> "READ COMMITTED";
        };
    }

    /**
     * After SQL ran: a primary connection back outside a transaction has committed (autocommit,
     * or SQL COMMIT/END); a read the primary served raises the floor for monotonic reads.
     */
    final void afterExecute(Physical p) throws SQLException {
        if (p != primary) {
            return;
        }
        if (p.readOnlySession) {
            if (router.config.readConsistency() != ReadConsistency.EVENTUAL) {
                primaryReadPending = true;
            }
        } else if (!p.inTransaction()) {
            committed(p);
        }
    }

    /** A row changed through an updatable ResultSet: a write no statement execution shows. */
    final void wroteOutsideStatements(Physical p) throws SQLException {
        if (p == primary && !p.readOnlySession) {
            wrotePending = true;
            if (!p.inTransaction()) {
                committed(p);
            }
        }
    }

    /** After a commit on the primary: a write may have happened; publish its position where needed. */
    final void committed(Physical p) throws SQLException {
        if (p != primary || p.readOnlySession) {
            return;
        }
        wrotePending = true;
        if (router.config.readConsistency() == ReadConsistency.PROCESS) {
            // The next borrower of the pool may be another connection: publish now. The work
            // itself has committed: a session lost before its position was read must not turn
            // into a failure of that work (the application would retry a committed write).
            try {
                takePrimaryPosition(p);
            } catch (SQLException e) {
                if (!Router.isConnectionProblem(e)) {
                    throw e;
                }
                try {
                    takePrimaryPosition(primaryForFloor()); // a fresh session: any later position covers it
                } catch (SQLException again) {
                    LOG.log(Level.DEBUG, () -> "commit position not published (" + again.getSQLState()
                            + "); this connection's next replica read takes it");
                    wrotePending = true;
                }
            }
        }
    }

    final List<Physical> physicals() {
        List<Physical> all = new ArrayList<>(2);
        Physical w = primary;
        Physical r = readPhysical;
        if (w != null) {
            all.add(w);
        }
        if (r != null && r != w) {
            all.add(r);
        }
        return all;
    }
}
