package org.pgrepl.jdbc.route;

import java.lang.System.Logger.Level;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.Clob;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.pgrepl.jdbc.PgReplConnection;
import org.pgrepl.jdbc.config.PgReplUrl;
import org.pgrepl.jdbc.monitor.CausalToken;
import org.pgrepl.jdbc.monitor.ClusterState;
import org.pgrepl.jdbc.monitor.Lsn;
import org.pgrepl.jdbc.monitor.MonitorRegistry;
import org.pgrepl.jdbc.wrap.DatabaseMetaDataWrapper;

/**
 * A {@code jdbc:pgrepl:} connection: one logical connection over up to two physical pgjdbc
 * connections, opened lazily, one to the primary and one to a replica. {@code setReadOnly}
 * picks the route; session state set here follows onto whichever physical connection serves
 * the next statement. Routing decisions live in {@link Routes}, statement creation in
 * {@link StatementFactory}, session state in {@link SessionSettings}; this class is the rest
 * of the JDBC surface: transactions, metadata, savepoints, validation and causal tokens.
 */
public final class LogicalConnection extends SessionSettings implements PgReplConnection {
    private static final System.Logger LOG = System.getLogger("org.pgrepl.jdbc.routing");

    /** Creates a logical connection; opens no server connection. */
    public LogicalConnection(PgReplUrl url, Cluster cluster, MonitorRegistry.Lease lease) {
        super(url, cluster, lease);
    }

    /** Opens a connection for a parsed URL: validates nothing more and opens no server connection. */
    public static LogicalConnection open(PgReplUrl url) {
        Cluster cluster = Cluster.of(url);
        return new LogicalConnection(url, cluster, cluster.monitorLease(url));
    }

    // --- routing -----------------------------------------------------------------------------

    /**
     * Routes following work to a replica (true) or the primary (false). Only sets a flag: no I/O,
     * no exception but on a closed connection or inside an open transaction, which must finish
     * on the server it began on (Spring ignores exceptions from this call, so a silent switch
     * would run its transaction on the wrong server).
     */
    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        if (readOnly == this.readOnly) {
            return;
        }
        Physical current = readOnly ? primary : readPhysical;
        if (current != null && !current.broken && current.inTransaction()) {
            throw new SQLException("pgrepl: cannot change read-only inside an open transaction (it runs on "
                    + current.host + "); commit or roll back first", "25001");
        }
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    // --- transactions --------------------------------------------------------------------------
    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (state.autoCommit == autoCommit) {
            return;
        }
        if (autoCommit) {
            abandonIfReplaced(primary, state.autoCommit);
        }
        if (autoCommit && lostTransaction != null) {
            String host = lostTransaction;
            lostTransaction = null; // ended here, as a failed commit ends it
            endOfTransaction(false);
            throw lostTransactionError(host);
        }
        Physical p = currentOrNull();
        boolean committing = false;
        if (p != null) {
            committing = autoCommit && p.inTransaction();
            try {
                p.conn.setAutoCommit(autoCommit); // commits an open transaction, as JDBC says
            } catch (SQLException e) {
                throw committing && Router.isConnectionProblem(e) ? outcomeUnknown(p, e) : p.translate(e);
            }
            p.autoCommitApplied(autoCommit);
        }
        // The rest of the session state reaches the physical connections when they are next
        // used: a failure of a dead session belongs to that use, not to this call.
        state.autoCommit = autoCommit;
        state.changed();
        if (committing) {
            endOfTransaction(true);
            committed(p);
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return state.autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        abandonIfReplaced(primary, state.autoCommit);
        String lost = lostTransaction;
        if (lost != null) {
            lostTransaction = null; // the commit fails and ends the lost transaction, as a rollback would
            endOfTransaction(false);
            throw lostTransactionError(lost);
        }
        Physical p = currentOrNull();
        if (p == null) {
            if (state.autoCommit) {
                throw new SQLException("Cannot commit when autoCommit is enabled.", "25P01");
            }
            return; // nothing ran: nothing to commit
        }
        if (p.heldNothingSince(state)) {
            endOfTransaction(true); // a session pgrepl opened for itself: nothing of this transaction ran there
            return;
        }
        try {
            p.conn.commit();
        } catch (SQLException e) {
            throw Router.isConnectionProblem(e) ? outcomeUnknown(p, e) : p.translate(e);
        }
        endOfTransaction(true);
        committed(p);
    }

    /**
     * The connection failed while a commit was in flight: the server may or may not have
     * committed, and no one can tell the application which (08007, as the SQL standard names it).
     */
    private SQLException outcomeUnknown(Physical p, SQLException e) {
        p.translate(e);
        lostTransaction = null; // reported here: the application knows, and goes on
        return new SQLException("pgrepl: the connection to " + p.host + " failed while the commit was in flight;"
                + " whether the transaction committed is unknown", "08007", e);
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (lostTransaction != null) {
            lostTransaction = null; // gone with its connection: nothing is left to roll back
            endOfTransaction(false);
            return;
        }
        Physical p = currentOrNull();
        if (p == null) {
            if (state.autoCommit) {
                throw new SQLException("Cannot rollback when autoCommit is enabled.", "25P01");
            }
            return;
        }
        if (p.heldNothingSince(state)) {
            endOfTransaction(false);
            return;
        }
        try {
            p.conn.rollback();
        } catch (SQLException e) {
            SQLException t = p.translate(e);
            if (!Router.isConnectionProblem(e)) {
                throw t;
            }
            lostTransaction = null; // rolled back by the server as the session ended
        }
        endOfTransaction(false);
    }

    // --- the rest of java.sql.Connection ------------------------------------------------------

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        Physical p = route();
        try {
            return new DatabaseMetaDataWrapper(this, p.conn.getMetaData(), p);
        } catch (SQLException e) {
            throw p.translate(e);
        }
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return onRoute(c -> c.nativeSQL(sql));
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return onRoute(Connection::setSavepoint);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return onRoute(c -> c.setSavepoint(name));
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        onRoute(c -> {
            c.rollback(savepoint);
            return null;
        });
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        onRoute(c -> {
            c.releaseSavepoint(savepoint);
            return null;
        });
    }

    @Override
    public Clob createClob() throws SQLException {
        return onRoute(Connection::createClob);
    }

    @Override
    public Blob createBlob() throws SQLException {
        return onRoute(Connection::createBlob);
    }

    @Override
    public NClob createNClob() throws SQLException {
        return onRoute(Connection::createNClob);
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return onRoute(Connection::createSQLXML);
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return onRoute(c -> c.createArrayOf(typeName, elements));
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return onRoute(c -> c.createStruct(typeName, attributes));
    }

    /**
     * Checks the current route's connection (opening it if needed) within {@code timeout}; no
     * read-floor wait (it validates a connection, it reads nothing), and a connection found dead
     * is dropped, so the next statement opens a fresh one.
     */
    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("pgrepl: timeout must not be negative", "22023");
        }
        if (closed) {
            return false;
        }
        Physical p;
        try {
            p = routeForValidation(timeout);
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, () -> "isValid: route cannot be opened: " + e.getMessage());
            return false;
        }
        boolean valid = p.conn.isValid(timeout);
        if (!valid) {
            connectionFailed(p, new SQLException("isValid found the connection dead", "08006"));
        }
        return valid;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        Physical p = route();
        if (p == primary && !p.readOnlySession) {
            // COPY, large objects, anything done on pgjdbc's connection may write unseen by pgrepl
            if (!primaryUnwrapped) {
                primaryUnwrapped = true;
                if (router.config.readConsistency() == org.pgrepl.jdbc.config.ReadConsistency.PROCESS) {
                    router.cluster.unwrappedPrimaries.incrementAndGet(); // until this connection closes
                }
            }
        }
        return iface.isInstance(p.conn) ? iface.cast(p.conn) : p.conn.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this) || iface.isAssignableFrom(org.postgresql.jdbc.PgConnection.class);
    }

    public String currentHost() {
        Physical p = currentOrNull();
        return p == null ? null : p.host.toString();
    }

    public String causalToken() throws SQLException {
        checkOpen();
        if (wrotePending || primaryUnwrapped) {
            Physical p = primary;
            if (p != null && !p.broken) {
                takePrimaryPosition(p);
            } else {
                takePrimaryPosition(primaryForFloor());
            }
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
        // The token's timeline is judged against the cluster's now, not a predecessor's seed: a
        // failover in the quiet spell makes an old-timeline token one the primary alone serves.
        ClusterState s = router.probedState();
        if (s.systemIdentifier() != 0 && t.systemIdentifier() != s.systemIdentifier()) {
            throw new SQLException("pgrepl: causal token from another cluster (system identifier "
                    + Long.toUnsignedString(t.systemIdentifier()) + ", this cluster's is "
                    + Long.toUnsignedString(s.systemIdentifier()) + ")", CausalToken.INVALID);
        }
        // Not probed within the bound: the timeline now is not known, so the primary serves it.
        requireToken(t, router.monitor.probed() ? s.timeline() : Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return "pgrepl connection to " + router.url.hosts() + "/" + router.url.database()
                + (readOnly ? " [read-only route]" : " [read-write route]");
    }
}
