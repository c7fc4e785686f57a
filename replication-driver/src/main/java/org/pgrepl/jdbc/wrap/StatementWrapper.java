package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A logical {@link Statement}: each execution runs on the route current at that moment. */
public class StatementWrapper extends DelegatingStatement {
    private final RouteSource source;
    final Delegates delegates;

    /**
     * @param source    the logical connection
     * @param route     the route current when the statement was created
     * @param statement pgjdbc's statement on that route
     * @param recipe    makes the same statement on another route's connection
     */
    public StatementWrapper(RouteSource source, RouteContext route, Statement statement,
            StatementRecipe<? extends Statement> recipe) {
        super(statement);
        this.source = source;
        this.delegates = new Delegates(source, route, recipe);
    }

    @Override
    protected ResultSet wrapResultSet(ResultSet rs) {
        return rs == null ? null : new ResultSetWrapper(this, rs, delegates.route);
    }

    @Override
    protected void beforeExecute() throws SQLException {
        RouteContext r = delegates.routeForExecution();
        if (r != delegates.route) {
            replaceDelegate(delegates.switchTo(r, statement, parameterReplay()));
        }
        r.beforeExecute();
    }

    /** What a statement made again on another route needs besides settings and batch: nothing here. */
    Delegates.ParameterReplay parameterReplay() {
        return null;
    }

    @Override
    protected void afterExecute() throws SQLException {
        delegates.route.afterExecute();
    }

    @Override
    protected SQLException translate(SQLException e) {
        return delegates.route.translate(e);
    }

    @Override
    protected boolean retryOnAnotherHost(SQLException e) throws SQLException {
        return !delegates.closed && delegates.route.rerouteRead(e);
    }

    @Override
    protected void recordSetting(int slot, StatementCall call) {
        delegates.recordSetting(slot, call);
    }

    @Override
    protected void recordBatch(StatementCall call) {
        delegates.recordBatch(call);
    }

    @Override
    protected void batchDone() {
        delegates.batchDone();
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        super.setQueryTimeout(seconds);
        delegates.queryTimeoutSeconds = seconds;
    }

    @Override
    public void cancel() throws SQLException {
        source.cancelWait();
        statement.cancel();
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (delegates.closed) {
            throw Delegates.closedError();
        }
        return source.logical();
    }

    @Override
    public boolean isClosed() {
        return delegates.closed;
    }

    @Override
    public void close() throws SQLException {
        delegates.close(statement);
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
