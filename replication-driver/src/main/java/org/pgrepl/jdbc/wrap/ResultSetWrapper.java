package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A pgjdbc {@link ResultSet} whose {@code getStatement()} returns the logical statement. A row
 * changed through it (an updatable ResultSet) counts as a write of the route it came from, so the
 * read floor covers it; a failure on any call is noticed by that route; a refcursor read from it
 * ({@code getObject}) is wrapped too, so its {@code getStatement().getConnection()} is the
 * logical connection.
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
    public Statement getStatement() throws SQLException {
        resultSet.getStatement(); // throws when closed
        return owner;
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
    public Object getObject(int column) throws SQLException {
        return nested(super.getObject(column));
    }

    @Override
    public Object getObject(String column) throws SQLException {
        return nested(super.getObject(column));
    }

    @Override
    public Object getObject(int column, java.util.Map<String, Class<?>> map) throws SQLException {
        return nested(super.getObject(column, map));
    }

    @Override
    public Object getObject(String column, java.util.Map<String, Class<?>> map) throws SQLException {
        return nested(super.getObject(column, map));
    }

    @Override
    public <T> T getObject(int column, Class<T> type) throws SQLException {
        T value = super.getObject(column, type);
        // Only where the caller asked for an interface the wrapper implements (ResultSet, Object).
        return type.isAssignableFrom(ResultSetWrapper.class) ? type.cast(nested(value)) : value;
    }

    @Override
    public <T> T getObject(String column, Class<T> type) throws SQLException {
        T value = super.getObject(column, type);
        return type.isAssignableFrom(ResultSetWrapper.class) ? type.cast(nested(value)) : value;
    }

    /** A refcursor's result set, wrapped like this one; any other value as it is. */
    private Object nested(Object value) throws SQLException {
        if (!(value instanceof ResultSet rs) || value instanceof ResultSetWrapper || owner == null) {
            return value;
        }
        Connection logical = owner.getConnection();
        return new ResultSetWrapper(DriverStatementView.of(logical, rs.getStatement(), route), rs, route);
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
