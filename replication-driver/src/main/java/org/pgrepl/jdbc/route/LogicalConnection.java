package org.pgrepl.jdbc.route;

import java.lang.System.Logger.Level;
import java.sql.Array;
import java.sql.Blob;
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
import org.pgrepl.jdbc.monitor.MonitorRegistry;
import org.pgrepl.jdbc.wrap.DatabaseMetaDataWrapper;

/**
 * A {@code jdbc:pgrepl:} connection: one logical connection over up to two physical pgjdbc
 * connections, opened lazily, one to the primary and one to a replica. {@code setReadOnly}
 * picks the route; session state set here follows onto whichever physical connection serves
 * the next statement. Routing decisions live in {@link Routes}, statement creation in
 * {@link StatementFactory}; this class is the rest of the JDBC surface.
 */
public final class LogicalConnection extends StatementFactory implements PgReplConnection {
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

    // --- session state: answered here, replayed where it differs ----------------------------

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (state.autoCommit == autoCommit) {
            return;
        }
        Physical p = currentOrNull();
        if (p != null) {
            p.conn.setAutoCommit(autoCommit); // commits an open transaction, as JDBC says
            p.autoCommitApplied(autoCommit);
        }
        state.autoCommit = autoCommit;
        state.changed();
        if (p != null) {
            p.sync(state);
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
        Physical p = currentOrNull();
        if (p == null) {
            if (state.autoCommit) {
                throw new SQLException("Cannot commit when autoCommit is enabled.", "25P01");
            }
            return; // nothing ran: nothing to commit
        }
        try {
            p.conn.commit();
        } catch (SQLException e) {
            throw p.translate(e);
        }
        committed(p);
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        Physical p = currentOrNull();
        if (p == null) {
            if (state.autoCommit) {
                throw new SQLException("Cannot rollback when autoCommit is enabled.", "25P01");
            }
            return;
        }
        try {
            p.conn.rollback();
        } catch (SQLException e) {
            throw p.translate(e);
        }
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        if (level != TRANSACTION_READ_UNCOMMITTED && level != TRANSACTION_READ_COMMITTED
                && level != TRANSACTION_REPEATABLE_READ && level != TRANSACTION_SERIALIZABLE) {
            throw new SQLException("pgrepl: unsupported transaction isolation level " + level, "22023");
        }
        Physical p = currentOrNull();
        if (p != null && p.inTransaction()) {
            p.conn.setTransactionIsolation(level); // let pgjdbc refuse it inside a transaction
        }
        state.isolation = level;
        state.changed();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return state.isolation >= 0 ? state.isolation : route().conn.getTransactionIsolation();
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
        if (holdability != java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT
                && holdability != java.sql.ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw new SQLException("pgrepl: unknown holdability " + holdability, "22023");
        }
        state.holdability = holdability;
        state.changed();
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return state.holdability >= 0 ? state.holdability : java.sql.ResultSet.CLOSE_CURSORS_AT_COMMIT;
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (milliseconds < 0) {
            throw new SQLException("pgrepl: network timeout must not be negative", "22023");
        }
        state.networkTimeout = milliseconds;
        state.networkTimeoutExecutor = executor;
        state.changed();
        Physical p = currentOrNull();
        if (p != null) {
            p.sync(state); // applies to a statement already running, as the JDBC spec asks
        }
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        if (state.networkTimeout >= 0) {
            return state.networkTimeout;
        }
        Physical p = currentOrNull();
        return p != null ? p.conn.getNetworkTimeout() : socketTimeoutMillis();
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
        if (router.config.transactionPooling()) {
            // search_path is session state: behind a transaction pooler it would stay on a server
            // session that other clients' transactions then run in.
            throw new SQLException("pgrepl: setSchema is refused with transactionPooling=true, since a transaction"
                    + " pooler would carry search_path to other clients; qualify names, or set it per role"
                    + " (ALTER ROLE ... SET search_path)", "0A000");
        }
        state.schema = schema;
        state.changed();
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return state.schema != null ? state.schema : route().conn.getSchema();
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
        state.catalog = catalog; // pgjdbc ignores it too: a connection cannot change its database
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return state.catalog != null ? state.catalog : router.url.database();
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        Properties next = state.clientInfo == null ? new Properties() : (Properties) state.clientInfo.clone();
        if (value == null) {
            next.remove(name);
        } else {
            next.setProperty(name, value);
        }
        state.clientInfo = next;
        state.changed();
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        state.clientInfo = (Properties) properties.clone();
        state.changed();
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        if (state.clientInfo != null && state.clientInfo.containsKey(name)) {
            return state.clientInfo.getProperty(name);
        }
        Physical p = currentOrNull();
        return p != null ? p.conn.getClientInfo(name) : router.url.pgjdbcProperties().getProperty(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        Physical p = currentOrNull();
        Properties all = p != null ? p.conn.getClientInfo() : new Properties();
        if (state.clientInfo != null) {
            all.putAll(state.clientInfo);
        }
        return all;
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return state.typeMap != null ? state.typeMap : new java.util.HashMap<>();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        state.typeMap = map;
        state.changed();
    }

    // --- the rest of java.sql.Connection ------------------------------------------------------

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new DatabaseMetaDataWrapper(this, route().conn.getMetaData());
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return route().conn.nativeSQL(sql);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        Physical p = currentOrNull();
        return p == null ? null : p.conn.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        for (Physical p : physicals()) {
            p.conn.clearWarnings();
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return route().conn.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return route().conn.setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        route().conn.rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        route().conn.releaseSavepoint(savepoint);
    }

    @Override
    public Clob createClob() throws SQLException {
        return route().conn.createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return route().conn.createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return route().conn.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return route().conn.createSQLXML();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return route().conn.createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return route().conn.createStruct(typeName, attributes);
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("pgrepl: timeout must not be negative", "22023");
        }
        if (closed) {
            return false;
        }
        try {
            return route().conn.isValid(timeout);
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, () -> "isValid: route cannot be opened: " + e.getMessage());
            return false;
        }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        Physical p = route();
        return iface.isInstance(p.conn) ? iface.cast(p.conn) : p.conn.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this) || iface.isAssignableFrom(org.postgresql.jdbc.PgConnection.class);
    }

    @Override
    public String toString() {
        return "pgrepl connection to " + router.url.hosts() + "/" + router.url.database()
                + (readOnly ? " [read-only route]" : " [read-write route]");
    }
}
