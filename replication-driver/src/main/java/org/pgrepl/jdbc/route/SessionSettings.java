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
 * The session state of a logical connection as the JDBC API sets it: isolation, holdability,
 * network timeout, schema, catalog, client info, type map. Answered here without a round trip
 * and replayed on a physical connection where it differs, when that connection is next used;
 * what is set inside a transaction is applied there at once (as pgjdbc does), so a rollback
 * undoes it on the server and here alike.
 */
abstract class SessionSettings extends StatementFactory {
    SessionSettings(PgReplUrl url, Cluster cluster, MonitorRegistry.Lease lease) {
        super(url, cluster, lease);
    }


    /**
     * Runs a call on the current route's physical connection; a connection failure there is
     * noticed (the next statement opens a fresh connection), whatever the call.
     */
    final <T> T onRoute(Physical.Work<T> work) throws SQLException {
        Physical p = route();
        try {
            return work.run(p.conn);
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
            try {
                p.conn.setTransactionIsolation(level); // let pgjdbc refuse it inside a transaction
            } catch (SQLException e) {
                throw p.translate(e);
            }
        }
        state.isolation = level;
        state.changed();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return state.isolation >= 0 ? state.isolation : onRoute(Connection::getTransactionIsolation);
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
            try {
                p.sync(state); // applies to a statement already running, as the JDBC spec asks
            } catch (SQLException e) {
                throw p.translate(e);
            }
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
        Physical p = currentOrNull();
        if (p != null && p.inTransaction()) {
            // pgjdbc sets search_path in the open transaction, so a rollback undoes it: do the same,
            // and remember what to go back to.
            rememberBeforeTransaction(p);
            try {
                p.conn.setSchema(schema);
            } catch (SQLException e) {
                throw p.translate(e);
            }
            p.schemaApplied(schema);
        }
        state.schema = schema;
        state.changed();
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return state.schema != null ? state.schema : onRoute(Connection::getSchema);
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

    /** Client info pgjdbc knows; for any other name it adds this warning, and so does pgrepl. */
    private static final String SUPPORTED_CLIENT_INFO = "ApplicationName";
    private SQLWarning clientInfoWarning;

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        if (closed) {
            throw new SQLClientInfoException("pgrepl: the connection is closed", "08003", null);
        }
        if (!SUPPORTED_CLIENT_INFO.equals(name)) {
            SQLWarning w = new SQLWarning("ClientInfo property not supported.", "0A000");
            if (clientInfoWarning == null) {
                clientInfoWarning = w;
            } else {
                clientInfoWarning.setNextWarning(w);
            }
        }
        Properties next = state.clientInfo == null ? new Properties() : (Properties) state.clientInfo.clone();
        if (value == null) {
            next.remove(name);
        } else {
            next.setProperty(name, value);
        }
        setClientInfo(next);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        if (closed) {
            throw new SQLClientInfoException("pgrepl: the connection is closed", "08003", null);
        }
        Physical p = currentOrNull();
        if (p != null) {
            // Applied now, where pgjdbc applies it: in an open transaction (a rollback undoes it),
            // with pgjdbc's own warning for a name it does not know.
            if (p.inTransaction()) {
                rememberBeforeTransaction(p);
            }
            p.conn.setClientInfo(properties);
            p.clientInfoApplied(properties);
        }
        state.clientInfo = (Properties) properties.clone();
        state.changed();
    }

    /**
     * What the application set wins (pgjdbc keeps its own copy, which a rollback leaves behind the
     * server's); a name missing from what was set is '' for ApplicationName, as pgjdbc sets it.
     */
    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        if (state.clientInfo != null) {
            return state.clientInfo.getProperty(name, "ApplicationName".equals(name) ? "" : null);
        }
        Physical p = currentOrNull();
        return p != null ? p.conn.getClientInfo(name) : router.url.loginProperties().getProperty(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        Physical p = currentOrNull();
        Properties all = new Properties();
        if (p != null) {
            all.putAll(p.conn.getClientInfo());
        }
        if (state.clientInfo != null) {
            all.putAll(state.clientInfo);
        }
        return all;
    }

    // --- session state changed inside a transaction ------------------------------------------

    private boolean changedInTransaction;
    private String schemaBeforeTransaction;
    private Properties clientInfoBeforeTransaction;

    private void rememberBeforeTransaction(Physical p) {
        if (!changedInTransaction) {
            changedInTransaction = true;
            schemaBeforeTransaction = state.schema;
            try {
                // a copy: pgjdbc hands out its own Properties object, which the change would alter
                Properties before = new Properties();
                before.putAll(state.clientInfo != null ? state.clientInfo : p.conn.getClientInfo());
                clientInfoBeforeTransaction = before;
            } catch (SQLException e) {
                clientInfoBeforeTransaction = state.clientInfo;
            }
        }
    }

    /** A rollback undid what setSchema and setClientInfo did in the transaction: so does the logical state. */
    final void endOfTransaction(boolean committed) {
        if (!changedInTransaction) {
            return;
        }
        changedInTransaction = false;
        if (!committed) {
            state.schema = schemaBeforeTransaction;
            state.clientInfo = clientInfoBeforeTransaction;
            state.changed();
            for (Physical p : physicals()) {
                p.forgetSessionSettings();
            }
        }
        schemaBeforeTransaction = null;
        clientInfoBeforeTransaction = null;
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

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        Physical p = currentOrNull();
        SQLWarning server = p == null ? null : p.conn.getWarnings();
        if (clientInfoWarning == null) {
            return server;
        }
        if (server != null && server != clientInfoWarning) {
            clientInfoWarning.setNextWarning(server);
        }
        return clientInfoWarning;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        clientInfoWarning = null;
        Physical w = primary;
        Physical r = readPhysical;
        if (w != null && !w.broken) {
            w.conn.clearWarnings();
        }
        if (r != null && r != w && !r.broken) {
            r.conn.clearWarnings();
        }
    }

}
