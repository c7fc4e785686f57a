package org.pgrepl.jdbc.wrap;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A pgjdbc {@link CallableStatement} bound to the route it was created on. */
public class CallableStatementWrapper extends DelegatingCallableStatement {
    /** The route this statement runs on. */
    protected final RouteContext route;

    /**
     * @param route     the route current when the statement was created
     * @param statement pgjdbc's statement
     */
    public CallableStatementWrapper(RouteContext route, CallableStatement statement) {
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

    /** Calls are not retried: out parameters and side effects make a second run unsafe to assume. */
    @Override
    protected boolean retryOnAnotherHost(SQLException e) {
        return false;
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
