package org.pgrepl.jdbc.route;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.pgrepl.jdbc.config.HostSpec;
import org.pgrepl.jdbc.wrap.RouteContext;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PSQLException;

/**
 * One physical pgjdbc connection of a logical connection, with the session state it has been
 * given. Session state set on the logical connection is replayed here only where it differs
 * (HikariCP's "dirty bits"), and only when this connection is next used.
 */
final class Physical implements RouteContext {
    final Routes owner;
    final Connection conn;
    final BaseConnection base;
    final HostSpec host;
    final int hostIndex;
    /** True when this connection serves the read-only route (a replica, or the primary in fallback). */
    final boolean readRoute;
    /** True when it is a connection to the primary put in read-only mode for a fallback read. */
    boolean readOnlySession;
    volatile boolean broken;
    /** Highest position this replica is known to have replayed (from a wait on it). */
    long reachedLsn;
    /** Closed and counted out once, whichever thread (close, abort, a failure) gets there first. */
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    private int appliedVersion = -1;
    private boolean autoCommit = true;
    private int isolation = -1;
    private int holdability = -1;
    private int networkTimeout = -1;
    private String schema;
    private Properties clientInfo;
    private Map<String, Class<?>> typeMap;

    Physical(Routes owner, Connection conn, HostSpec host, int hostIndex, boolean readRoute) {
        this.owner = owner;
        this.conn = conn;
        this.base = (BaseConnection) conn;
        this.host = host;
        this.hostIndex = hostIndex;
        this.readRoute = readRoute;
        owner.router.cluster.opened(this);
    }

    /** True when a transaction is open here: autoCommit off and a statement ran since commit/rollback. */
    boolean inTransaction() {
        return base.getTransactionState() != TransactionState.IDLE;
    }

    /** A query of pgrepl's own on this connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs pgrepl's own query (a commit position, a replay check) so that it opens no transaction.
     * With autoCommit off, pgjdbc would begin one for it: the application's next statement would
     * then run in it, with a snapshot taken before the wait it was meant to follow (repeatable
     * read), and a connection back in a pool would sit idle in transaction.
     */
    <T> T outsideTransaction(Work<T> work) throws SQLException {
        if (conn.getAutoCommit() || inTransaction()) {
            return work.run(conn);
        }
        conn.setAutoCommit(true); // no round trip: nothing is open to commit
        try {
            return work.run(conn);
        } finally {
            conn.setAutoCommit(false);
        }
    }

    /** Replays the logical session state where it differs; one int compare when nothing changed. */
    void sync(SessionState s) throws SQLException {
        if (appliedVersion == s.version) {
            return;
        }
        boolean needsStatements = (s.schema != null && !s.schema.equals(schema))
                || (s.clientInfo != null && !s.clientInfo.equals(clientInfo));
        if (needsStatements && !autoCommit && !inTransaction()) {
            // pgjdbc sends SET for these; with autoCommit off that would open a transaction, which
            // would then pin this connection. Outside a transaction, autoCommit can flip for them.
            conn.setAutoCommit(true);
            autoCommit = true;
        }
        if (s.schema != null && !s.schema.equals(schema)) {
            conn.setSchema(s.schema);
            schema = s.schema;
        }
        if (s.clientInfo != null && !s.clientInfo.equals(clientInfo)) {
            conn.setClientInfo(s.clientInfo);
            clientInfo = (Properties) s.clientInfo.clone();
        }
        if (autoCommit != s.autoCommit) {
            conn.setAutoCommit(s.autoCommit);
            autoCommit = s.autoCommit;
        }
        if (s.isolation >= 0 && isolation != s.isolation && !owner.router.config.transactionPooling()) {
            conn.setTransactionIsolation(s.isolation);
            isolation = s.isolation;
        }
        if (s.holdability >= 0 && holdability != s.holdability) {
            conn.setHoldability(s.holdability);
            holdability = s.holdability;
        }
        if (s.networkTimeout >= 0 && networkTimeout != s.networkTimeout) {
            conn.setNetworkTimeout(s.networkTimeoutExecutor, s.networkTimeout);
            networkTimeout = s.networkTimeout;
        }
        if (s.typeMap != null && !Objects.equals(typeMap, s.typeMap)) {
            conn.setTypeMap(s.typeMap);
            typeMap = s.typeMap;
        }
        appliedVersion = s.version;
    }

    /** Records a schema set on this connection directly (inside a transaction). */
    void schemaApplied(String value) {
        schema = value;
    }

    /** Records client info set on this connection directly. */
    void clientInfoApplied(Properties value) {
        clientInfo = (Properties) value.clone();
    }

    /**
     * A rollback undid settings made in the transaction: what this connection was given is no
     * longer known, so the next use replays the logical state in full.
     */
    void forgetSessionSettings() {
        schema = null;
        clientInfo = null;
        appliedVersion = -1;
    }

    /**
     * True while this session is still in autocommit though the logical connection is not: it was
     * opened for pgrepl's own use (a read floor's position) and no statement of the application's
     * has run on it since, so it holds nothing to commit or roll back.
     */
    boolean heldNothingSince(SessionState s) {
        return autoCommit && !s.autoCommit && !inTransaction();
    }

    /** Records autoCommit set on this connection directly (the JDBC call commits an open transaction). */
    void autoCommitApplied(boolean value) {
        autoCommit = value;
    }

    /**
     * A read-only route served by the primary is read-only wherever it runs: the session is put in
     * read-only mode, so a write fails with 25006 as it would on a replica (a round trip, only on
     * the fallback path), and back before the primary serves writes again.
     */
    void setReadOnlySession(boolean readOnly) throws SQLException {
        if (readOnlySession == readOnly) {
            return;
        }
        conn.setReadOnly(readOnly); // pgjdbc then begins transactions READ ONLY
        if (owner.router.config.transactionPooling()) {
            // A session-level setting would stay on a server session other clients then use:
            // only transactions begun READ ONLY (autoCommit off) are protected; see the README.
            readOnlySession = readOnly;
            return;
        }
        try (Statement s = conn.createStatement()) {
            s.execute(readOnly ? "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
                    : "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
        }
        if (!conn.getAutoCommit()) {
            conn.commit(); // ends the transaction that held only the SET, so the next one takes the new mode
        }
        readOnlySession = readOnly;
    }

    @Override
    public void beforeExecute() throws SQLException {
        owner.beforeExecute(this);
    }

    @Override
    public void afterExecute() throws SQLException {
        owner.afterExecute(this);
    }

    @Override
    public void wrote() throws SQLException {
        owner.wroteOutsideStatements(this);
    }

    @Override
    public boolean rerouteRead(SQLException e) throws SQLException {
        return owner.rerouteRead(this, e);
    }

    @Override
    public Connection physical() {
        return conn;
    }

    @Override
    public SQLException translate(SQLException e) {
        String state = e.getSQLState();
        if (Router.isConnectionProblem(e)) {
            owner.connectionFailed(this, e);
            return e;
        }
        if ("25006".equals(state) && (readRoute || readOnlySession)) {
            String message = e.getMessage() + " [pgrepl: this connection was routed read-only, to "
                    + (readOnlySession ? "the primary " : "replica ") + host + "]";
            // Same SQLState, vendor code and class, the original kept as the cause.
            if (e instanceof BatchUpdateException b) {
                BatchUpdateException routed = new BatchUpdateException(message, state, e.getErrorCode(),
                        b.getLargeUpdateCounts(), e);
                if (b.getNextException() != null) {
                    routed.setNextException(b.getNextException()); // pgjdbc chains each entry's error here
                }
                return routed;
            }
            if (e instanceof PSQLException pe) {
                return new RoutedPSQLException(message, pe);
            }
            return new SQLException(message, state, e.getErrorCode(), e);
        }
        return e;
    }

    /** True the first time only: the caller then closes it and counts it out. */
    boolean release() {
        return released.compareAndSet(false, true);
    }

    void closeQuietly() {
        owner.router.cluster.closed(this);
        try {
            conn.close();
        } catch (SQLException ignored) {
            // closing a broken connection fails; it is gone either way
        }
    }

    void abort(java.util.concurrent.Executor executor) {
        owner.router.cluster.closed(this);
        try {
            conn.abort(executor);
        } catch (SQLException | RuntimeException ignored) {
            // aborting a broken connection fails; it is gone either way
        }
    }

    @Override
    public String toString() {
        return (readRoute ? "read-only route to " : "read-write route to ") + host;
    }
}
