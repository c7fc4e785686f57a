package org.pgrepl.jdbc.route;

import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.pgrepl.jdbc.monitor.MonitorRegistry;

/**
 * The physical connections of a logical connection and how they end: dropped one at a time when
 * they fail, all at once on {@code close()} or {@code abort()}, each closed and counted out
 * exactly once whichever thread gets there first; and a transaction lost with its connection,
 * which stays lost until the application ends it.
 */
abstract class Lifecycle extends ReadFloor {
    final MonitorRegistry.Lease lease;
    /** Serializes route changes between threads sharing this connection; close and abort never take it. */
    final ReentrantLock lock = new ReentrantLock();
    /** The read-write connection; also serves fallback reads, in read-only mode. */
    volatile Physical primary;
    /** The connection serving the read-only route: a replica's, or {@link #primary} in fallback. */
    volatile Physical readPhysical;
    volatile boolean closed;
    /** close() and abort() may race from two threads: one of them ends the connection. */
    private final java.util.concurrent.atomic.AtomicBoolean ending = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * The host whose connection failed while a transaction was open on it, until {@code rollback()}
     * or {@code commit()}: a later statement must not silently start a new transaction that the
     * application would take for the rest of the lost one (half a transaction, then committed).
     */
    volatile String lostTransaction;

    Lifecycle(Router router, MonitorRegistry.Lease lease) {
        super(router);
        this.lease = lease;
    }

    final void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("pgrepl: the connection is closed", "08003");
        }
    }

    final void checkLostTransaction() throws SQLException {
        String host = lostTransaction;
        if (host != null) {
            throw lostTransactionError(host);
        }
    }

    static SQLException lostTransactionError(String host) {
        return new SQLException("pgrepl: the transaction was lost with its connection to " + host
                + "; nothing of it after the failure ran, and it cannot be committed; roll back to go on", "08006");
    }

    /**
     * A transaction open on a primary the monitor has since seen replaced (a promotion that left
     * the old primary running: both accept writes, and the higher timeline is the cluster's) would
     * commit on a timeline the cluster has left: reported as committed, then lost. Its session is
     * closed instead (the server rolls back what a closed session leaves open; no round trip to a
     * host that may be cut off) and the transaction is lost with it (08006 until ended). A
     * transaction begun by SQL under autocommit is the application's own, as everything issued as
     * SQL is. Before the monitor's next cycle after the promotion nothing here can know of it;
     * Patroni and the like fence the old primary for that reason.
     */
    final void abandonIfReplaced(Physical p, boolean autoCommit) {
        if (p == null || autoCommit || p != primary || p.broken || p.readOnlySession || !router.config.followPromotion()
                || !router.monitor.probed()) {
            return;
        }
        int writable = router.monitor.state().writable();
        if (writable < 0 || writable == p.hostIndex || !p.inTransaction()) {
            return;
        }
        lostTransaction = p.host + ", no longer the primary (" + router.cluster.hosts.get(writable)
                + " took writes after a promotion; its session there was closed, so nothing of it committed)";
        p.broken = true;
        drop(p);
    }

    /** The current route's connection if it is open, without opening anything. */
    abstract Physical currentOrNull();

    /** Closes a physical connection and forgets it; counted out once, whoever calls. */
    final void drop(Physical p) {
        if (p == primary) {
            primary = null;
        }
        if (p == readPhysical) {
            readPhysical = null;
        }
        if (p.release()) {
            countOut(p);
            p.closeQuietly();
        }
    }

    private void countOut(Physical p) {
        if (p.readRoute) {
            router.cluster.openReplicaConnections(p.hostIndex).decrementAndGet();
        }
    }

    final void dropAll() {
        Physical w = primary;
        Physical r = readPhysical;
        if (w != null) {
            drop(w);
        }
        if (r != null) {
            drop(r);
        }
    }

    /** Closes both physical connections and releases the cluster's monitor. */
    public void close() {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        dropAll();
        released();
    }

    private void released() {
        if (primaryUnwrapped && router.config.readConsistency() == org.pgrepl.jdbc.config.ReadConsistency.PROCESS) {
            router.cluster.unwrappedPrimaries.decrementAndGet();
        }
        lease.close();
    }

    /** Aborts both physical connections (JDBC 4.1); returns at once, from any thread. */
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("pgrepl: abort needs an executor", "22023");
        }
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        for (Physical p : new Physical[] {primary, readPhysical}) {
            if (p != null && p.release()) {
                countOut(p);
                p.abort(executor);
            }
        }
        primary = null;
        readPhysical = null;
        released();
    }

    public boolean isClosed() {
        return closed;
    }

    final int socketTimeoutMillis() {
        try {
            return Integer.parseInt(router.url.loginProperties().getProperty("socketTimeout", "0")) * 1000;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
