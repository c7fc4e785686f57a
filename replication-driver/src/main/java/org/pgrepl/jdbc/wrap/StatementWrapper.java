package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A pgjdbc {@link Statement} bound to the route it was created on. */
public class StatementWrapper extends DelegatingStatement {
    /** The route this statement runs on (another one after a retried read). */
    protected RouteContext route;

    /**
     * @param route     the route current when the statement was created
     * @param statement pgjdbc's statement
     */
    public StatementWrapper(RouteContext route, Statement statement) {
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

    @Override
    protected boolean retryOnAnotherHost(SQLException e) throws SQLException {
        int fetchSize = statement.getFetchSize();
        int maxRows = statement.getMaxRows();
        int queryTimeout = statement.getQueryTimeout();
        RouteContext next = route.rerouteRead(e);
        if (next == null) {
            return false;
        }
        Statement fresh = next.physical().createStatement();
        fresh.setFetchSize(fetchSize);
        fresh.setMaxRows(maxRows);
        fresh.setQueryTimeout(queryTimeout);
        replaceDelegate(fresh);
        route = next;
        return true;
    }

    @Override
    public Connection getConnection() throws SQLException {
        statement.getConnection(); // throws when closed, as pgjdbc does
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
