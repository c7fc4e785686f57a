package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * pgjdbc's {@link DatabaseMetaData} whose {@code getConnection()} returns the logical connection,
 * and whose result sets' {@code getStatement().getConnection()} does too.
 */
public final class DatabaseMetaDataWrapper extends DelegatingDatabaseMetaData {
    private final Connection logical;
    private final RouteContext route;

    /**
     * @param logical  the logical connection
     * @param metaData pgjdbc's metadata of the physical connection in use
     * @param route    the route of that connection (its failures are noticed there)
     */
    public DatabaseMetaDataWrapper(Connection logical, DatabaseMetaData metaData, RouteContext route) {
        super(metaData);
        this.logical = logical;
        this.route = route;
    }

    @Override
    protected SQLException translate(SQLException e) {
        return route.translate(e);
    }

    /** A metadata result set, shown with pgjdbc's own statement behind it bound to the logical connection. */
    @Override
    protected ResultSet wrapResultSet(ResultSet rs) throws SQLException {
        return rs == null ? null : new ResultSetWrapper(DriverStatementView.of(logical, rs.getStatement(), route), rs, route);
    }

    @Override
    public Connection getConnection() {
        return logical;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : metaData.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || metaData.isWrapperFor(iface);
    }
}
