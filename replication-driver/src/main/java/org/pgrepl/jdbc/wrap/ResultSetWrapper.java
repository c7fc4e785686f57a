package org.pgrepl.jdbc.wrap;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A pgjdbc {@link ResultSet} whose {@code getStatement()} returns the logical statement. */
public final class ResultSetWrapper extends DelegatingResultSet {
    private final Statement owner;

    /**
     * @param owner     the logical statement that produced it
     * @param resultSet pgjdbc's result set
     */
    public ResultSetWrapper(Statement owner, ResultSet resultSet) {
        super(resultSet);
        this.owner = owner;
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
