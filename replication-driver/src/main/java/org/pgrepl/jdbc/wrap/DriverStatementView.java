package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A statement pgjdbc made for itself, behind a metadata or refcursor result set, shown with the
 * logical connection as its connection: {@code rs.getStatement().getConnection()} is the
 * connection the application holds, as for every other result set. Everything else passes
 * through to pgjdbc's statement on the physical connection it belongs to.
 */
final class DriverStatementView extends DelegatingStatement {
    private final Connection logical;
    private final RouteContext route;

    private DriverStatementView(Connection logical, Statement statement, RouteContext route) {
        super(statement);
        this.logical = logical;
        this.route = route;
    }

    /** A view of {@code statement}, or null when pgjdbc gave none. */
    static Statement of(Connection logical, Statement statement, RouteContext route) {
        return statement == null ? null : new DriverStatementView(logical, statement, route);
    }

    @Override
    protected ResultSet wrapResultSet(ResultSet rs) {
        return rs == null ? null : new ResultSetWrapper(this, rs, route);
    }

    @Override
    protected void recordSetting(int slot, StatementCall call) {
        // never made again elsewhere: nothing to record
    }

    @Override
    protected void recordBatch(StatementCall call) {
        // never made again elsewhere: nothing to record
    }

    @Override
    protected void batchDone() {
        // nothing recorded
    }

    @Override
    protected void beforeExecute() {
        // pgjdbc's own statement: no route to prepare
    }

    @Override
    protected void afterExecute() {
        // nothing to publish
    }

    @Override
    protected SQLException translate(SQLException e) {
        return route.translate(e);
    }

    @Override
    protected boolean retryOnAnotherHost(SQLException e) {
        return false;
    }

    @Override
    public Connection getConnection() throws SQLException {
        statement.getConnection(); // throws when closed, as pgjdbc does
        return logical;
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
