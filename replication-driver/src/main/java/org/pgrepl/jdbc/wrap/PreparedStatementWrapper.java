package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A pgjdbc {@link PreparedStatement} bound to the route it was created on. */
public class PreparedStatementWrapper extends DelegatingPreparedStatement {
    /** Prepares the same SQL on another connection, for a retried read. */
    @FunctionalInterface
    public interface Preparer {
        /** @return the statement prepared on {@code c} */
        PreparedStatement prepare(Connection c) throws SQLException;
    }

    /** The route this statement runs on (another one after a retried read). */
    protected RouteContext route;
    private Preparer preparer;

    /**
     * @param route     the route current when the statement was created
     * @param statement pgjdbc's statement
     */
    public PreparedStatementWrapper(RouteContext route, PreparedStatement statement) {
        super(statement);
        this.route = route;
    }

    @Override
    protected ResultSet wrapResultSet(ResultSet rs) {
        return rs == null ? null : new ResultSetWrapper(this, rs);
    }

    @Override
    protected void beforeExecute() throws SQLException {
        route.beforeExecute();
    }

    @Override
    protected void afterExecute() throws SQLException {
        route.afterExecute();
    }

    @Override
    protected SQLException translate(SQLException e) {
        return route.translate(e);
    }

    /**
     * Lets a read that meets a broken connection run once more on another host: parameters are
     * recorded from now on, so the statement can be prepared and filled again there.
     */
    public PreparedStatementWrapper retryableWith(Preparer preparer) {
        this.preparer = preparer;
        this.recordParameters = true;
        return this;
    }

    @Override
    protected boolean retryOnAnotherHost(SQLException e) throws SQLException {
        if (preparer == null || !recordParameters) {
            return false;
        }
        int fetchSize = statement.getFetchSize();
        int maxRows = statement.getMaxRows();
        int queryTimeout = statement.getQueryTimeout();
        RouteContext next = route.rerouteRead(e);
        if (next == null) {
            return false;
        }
        PreparedStatement fresh = preparer.prepare(next.physical());
        fresh.setFetchSize(fetchSize);
        fresh.setMaxRows(maxRows);
        fresh.setQueryTimeout(queryTimeout);
        if (parameterCalls != null) {
            for (ParameterCall call : parameterCalls) {
                if (call != null) {
                    call.apply(fresh);
                }
            }
        }
        replaceDelegate(fresh);
        route = next;
        return true;
    }

    @Override
    public Connection getConnection() throws SQLException {
        statement.getConnection();
        return route.logical();
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : statement.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || statement.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return statement.toString();
    }
}
