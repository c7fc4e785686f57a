package org.pgrepl.jdbc.wrap;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A pgjdbc {@link ResultSet} whose {@code getStatement()} returns the logical statement. A row
 * changed through it (an updatable ResultSet) counts as a write of the route it came from, so the
 * read floor covers it; a failure on any call is noticed by that route.
 */
public final class ResultSetWrapper extends DelegatingResultSet {
    private final Statement owner;
    private final RouteContext route;

    /**
     * @param owner     the logical statement that produced it
     * @param resultSet pgjdbc's result set
     * @param route     the route it was read from
     */
    public ResultSetWrapper(Statement owner, ResultSet resultSet, RouteContext route) {
        super(resultSet);
        this.owner = owner;
        this.route = route;
    }

    @Override
    protected SQLException translate(SQLException e) {
        return route.translate(e);
    }

    @Override
    public void insertRow() throws SQLException {
        super.insertRow();
        route.wrote();
    }

    @Override
    public void updateRow() throws SQLException {
        super.updateRow();
        route.wrote();
    }

    @Override
    public void deleteRow() throws SQLException {
        super.deleteRow();
        route.wrote();
    }

    @Override
    public Statement getStatement() throws SQLException {
        resultSet.getStatement(); // throws when closed
        return owner;
    }

    @Override
    public void close() throws SQLException {
        resultSet.close();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : resultSet.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || resultSet.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return resultSet.toString();
    }
}
