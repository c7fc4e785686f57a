package org.pgrepl.jdbc.route;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.pgrepl.jdbc.config.PgReplUrl;
import org.pgrepl.jdbc.config.ReadConsistency;
import org.pgrepl.jdbc.config.ReadFallback;
import org.pgrepl.jdbc.metrics.RouteReason;
import org.pgrepl.jdbc.monitor.CausalToken;
import org.pgrepl.jdbc.monitor.ClusterState;
import org.pgrepl.jdbc.monitor.HostState;
import org.pgrepl.jdbc.monitor.Lsn;
import org.pgrepl.jdbc.monitor.MonitorRegistry;

/**
 * The routing state of a logical connection: which physical connection serves the current
 * route, when to open, re-pick or drop one, and the read floor that read-your-writes, monotonic
 * reads and causal tokens impose on replica reads.
 */
abstract class Routes extends ReadFloor {
    private static final System.Logger LOG = System.getLogger("org.pgrepl.jdbc.routing");

    final SessionState state = new SessionState();
    final MonitorRegistry.Lease lease;
    boolean readOnly;
    /** The read-write connection; also serves fallback reads, in read-only mode. */
    Physical primary;
    /** The connection serving the read-only route: a replica's, or {@link #primary} in fallback. */
    Physical readPhysical;
    volatile boolean closed;
    /** Why the last route went where it did, for the route counters. */
    RouteReason routeReason = RouteReason.WRITE;

    Routes(PgReplUrl url, Cluster cluster, MonitorRegistry.Lease lease) {
        super(new Router(url, cluster, lease.monitor()));
        this.lease = lease;
        this.readOnly = url.config().readOnly();
    }

    /** The physical connection for the current route, opened, re-picked and synced as needed. */
    final Physical route() throws SQLException {
        checkOpen();
        Physical p = readOnly ? readRoute() : writeRoute();
        p.sync(state);
        return p;
    }

    /** The current route's connection if it is open, without opening anything. */
    final Physical currentOrNull() {
        Physical p = readOnly ? readPhysical : primary;
        return p == null || p.broken ? null : p;
    }

    final List<Physical> physicals() {
        List<Physical> all = new ArrayList<>(2);
        if (primary != null) {
            all.add(primary);
        }
        if (readPhysical != null && readPhysical != primary) {
            all.add(readPhysical);
        }
        return all;
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
        if (primary == null || primary.broken) {
            primary = router.openPrimary(this);
        }
        if (primary.readOnlySession) {
            primary.setReadOnlySession(false);
        }
        routeReason = RouteReason.WRITE;
        return primary;
    }

    private Physical readRoute() throws SQLException {
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
            p = router.openReplica(this, -1);
            if (p == null) {
                return fallbackOrFail("no usable replica");
            }
            readPhysical = p;
        }
        long floor = floor();
        if (floor != Lsn.NONE && !reached(p, floor)) {
            if (!awaitReplay(p, floor)) {
                return afterWaitTimeout(floor);
            }
        }
        routeReason = RouteReason.READ_ONLY;
        return p;
    }

    /** Whether the read connection may serve the next read-only transaction. */
    private boolean stillGood(Physical p) {
        HostState h = router.monitor.state().host(p.hostIndex);
        return router.cluster.health(p.hostIndex).usable()
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
        Physical p = writeRouteForRead();
        p.setReadOnlySession(true);
        readPhysical = p;
        return p;
    }

    private Physical writeRouteForRead() throws SQLException {
        if (primary == null || primary.broken) {
            primary = router.openPrimary(this);
        }
        primary.sync(state);
        return primary;
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
                raiseFloorPastLostReplica();
            }
        }
        drop(p);
    }

    /**
     * The one retry of a read-only autocommit query that met a broken connection before any row
     * reached the caller: the host backs off and the query moves to the next usable read route.
     * Nothing else is retried: a write, or anything inside a transaction, may have taken effect.
     */
    final Physical rerouteRead(Physical failed, SQLException e) throws SQLException {
        if (closed || !readOnly || !state.autoCommit || !failed.readRoute || !Router.isConnectionProblem(e)) {
            return null;
        }
        connectionFailed(failed, e);
        LOG.log(Level.DEBUG, () -> "read on " + failed.host + " failed (" + e.getSQLState() + "); retrying once elsewhere");
        return route();
    }

    /**
     * Monotonic reads when the replica read from can no longer be asked how far it got: the
     * primary's position in a monitor cycle that began after the loss is past anything the lost
     * replica had replayed, so the next replica must reach it (or the read falls back).
     */
    private void raiseFloorPastLostReplica() {
        raiseSessionFloor(router.monitor.awaitFreshState(router.config.monitorInterval().multipliedBy(3)).primaryLsn());
    }

    /** Closes a physical connection and forgets it. */
    final void drop(Physical p) {
        if (p == primary) {
            primary = null;
        }
        if (p == readPhysical) {
            readPhysical = null;
        }
        if (p.readRoute && p != primary) {
            router.cluster.openReplicaConnections(p.hostIndex).decrementAndGet();
        }
        p.closeQuietly();
    }

    /** A connection-level failure: the host backs off, and the next statement opens a fresh connection. */
    final void connectionFailed(Physical p, SQLException e) {
        if (p.broken) {
            return;
        }
        p.broken = true;
        router.cluster.health(p.hostIndex).markDown(router.config.hostRecheck());
        if (p.readRoute && p != primary && router.config.readConsistency() != ReadConsistency.EVENTUAL) {
            raiseFloorPastLostReplica();
        }
        LOG.log(Level.DEBUG, () -> "connection to " + p.host + " failed (" + e.getSQLState() + "); host backs off");
        drop(p);
    }

    @Override
    final Physical primaryForFloor() {
        return primary == null || primary.broken ? null : primary;
    }

    final void beforeExecute(Physical p) throws SQLException {
        if (state.isolation >= 0 && router.config.transactionPooling() && !p.inTransaction()) {
            isolationForThisTransaction(p);
        }
        if (p == primary) {
            if (!p.readOnlySession) {
                wrotePending = true;
            }
        } else if (p == readPhysical && !p.broken && !p.inTransaction()) {
            checkHeldReplicaStatement(p);
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
     * The read floor is checked when a statement picks its route, but a statement may be created
     * on a replica, held, and run again after this connection wrote: it must not read from
     * before that write. Costs field compares when the floor has not moved.
     */
    private void checkHeldReplicaStatement(Physical p) throws SQLException {
        long floor = floor();
        if (floor == Lsn.NONE || reached(p, floor) || awaitReplay(p, floor)) {
            return;
        }
        router.cluster.stats.readYourWritesTimeout(false);
        throw new SQLException("pgrepl: replica " + p.host + " has not replayed " + Lsn.format(floor)
                + " within readYourWritesTimeout=" + router.config.readYourWritesTimeout().toMillis()
                + "ms; this statement was created on it before the connection's last write and cannot move;"
                + " create it again to be routed afresh", "57014");
    }

    final void afterExecute(Physical p) throws SQLException {
        if (p == primary && state.autoCommit && !p.readOnlySession) {
            committed(p);
        }
    }

    /** After a commit on the primary: a write may have happened; publish its position where needed. */
    final void committed(Physical p) throws SQLException {
        if (p != primary || p.readOnlySession) {
            return;
        }
        wrotePending = true;
        if (router.config.readConsistency() == ReadConsistency.PROCESS) {
            publishCommit(p); // the next borrower of the pool may be another connection: publish now
        }
    }

    final void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("pgrepl: the connection is closed", "08003");
        }
    }

    final int socketTimeoutMillis() {
        try {
            return Integer.parseInt(router.url.pgjdbcProperties().getProperty("socketTimeout", "0")) * 1000;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Closes both physical connections and releases the cluster's monitor. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Physical p : physicals()) {
            drop(p);
        }
        lease.close();
    }

    /** Aborts both physical connections (JDBC 4.1). */
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("pgrepl: abort needs an executor", "22023");
        }
        if (closed) {
            return;
        }
        closed = true;
        for (Physical p : physicals()) {
            p.conn.abort(executor);
            router.cluster.closed(p);
            if (p.readRoute && p != primary) {
                router.cluster.openReplicaConnections(p.hostIndex).decrementAndGet();
            }
        }
        primary = null;
        readPhysical = null;
        lease.close();
    }

    public boolean isClosed() {
        return closed;
    }

    public String currentHost() {
        Physical p = currentOrNull();
        return p == null ? null : p.host.toString();
    }

    public String causalToken() throws SQLException {
        checkOpen();
        if (wrotePending && primary != null && !primary.broken) {
            publishCommit(primary);
        }
        if (lastCommitLsn == Lsn.NONE) {
            return null;
        }
        ClusterState s = router.state();
        return new CausalToken(s.systemIdentifier(), s.timeline(), lastCommitLsn).toString();
    }

    public void requireCausalToken(String token) throws SQLException {
        checkOpen();
        CausalToken t = CausalToken.parse(token);
        ClusterState s = router.state();
        if (s.systemIdentifier() != 0 && t.systemIdentifier() != s.systemIdentifier()) {
            throw new SQLException("pgrepl: causal token from another cluster (system identifier "
                    + Long.toUnsignedString(t.systemIdentifier()) + ", this cluster's is "
                    + Long.toUnsignedString(s.systemIdentifier()) + ")", CausalToken.INVALID);
        }
        requireToken(t, s.timeline());
    }
}
