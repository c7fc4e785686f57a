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

    /**
     * @param logical  the logical connection
     * @param metaData pgjdbc's metadata of the physical connection in use
     */
    public DatabaseMetaDataWrapper(Connection logical, DatabaseMetaData metaData) {
        super(metaData);
        this.logical = logical;
    }

    @Override
    public Connection getConnection() {
        return logical;
    }

    /** A metadata result set, shown with pgjdbc's own statement behind it bound to the logical connection. */
    private ResultSet wrap(ResultSet rs) throws SQLException {
        return rs == null ? null : new ResultSetWrapper(DriverStatementView.of(logical, rs.getStatement()), rs);
    }

    @Override
    public ResultSet getProcedures(String p0, String p1, String p2) throws SQLException {
        return wrap(metaData.getProcedures(p0, p1, p2));
    }

    @Override
    public ResultSet getProcedureColumns(String p0, String p1, String p2, String p3) throws SQLException {
        return wrap(metaData.getProcedureColumns(p0, p1, p2, p3));
    }

    @Override
    public ResultSet getTables(String p0, String p1, String p2, String[] p3) throws SQLException {
        return wrap(metaData.getTables(p0, p1, p2, p3));
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        return wrap(metaData.getSchemas());
    }

    @Override
    public ResultSet getCatalogs() throws SQLException {
        return wrap(metaData.getCatalogs());
    }

    @Override
    public ResultSet getTableTypes() throws SQLException {
        return wrap(metaData.getTableTypes());
    }

    @Override
    public ResultSet getColumns(String p0, String p1, String p2, String p3) throws SQLException {
        return wrap(metaData.getColumns(p0, p1, p2, p3));
    }

    @Override
    public ResultSet getColumnPrivileges(String p0, String p1, String p2, String p3) throws SQLException {
        return wrap(metaData.getColumnPrivileges(p0, p1, p2, p3));
    }

    @Override
    public ResultSet getTablePrivileges(String p0, String p1, String p2) throws SQLException {
        return wrap(metaData.getTablePrivileges(p0, p1, p2));
    }

    @Override
    public ResultSet getBestRowIdentifier(String p0, String p1, String p2, int p3, boolean p4) throws SQLException {
        return wrap(metaData.getBestRowIdentifier(p0, p1, p2, p3, p4));
    }

    @Override
    public ResultSet getVersionColumns(String p0, String p1, String p2) throws SQLException {
        return wrap(metaData.getVersionColumns(p0, p1, p2));
    }

    @Override
    public ResultSet getPrimaryKeys(String p0, String p1, String p2) throws SQLException {
        return wrap(metaData.getPrimaryKeys(p0, p1, p2));
    }

    @Override
    public ResultSet getImportedKeys(String p0, String p1, String p2) throws SQLException {
        return wrap(metaData.getImportedKeys(p0, p1, p2));
    }

    @Override
    public ResultSet getExportedKeys(String p0, String p1, String p2) throws SQLException {
        return wrap(metaData.getExportedKeys(p0, p1, p2));
    }

    @Override
    public ResultSet getCrossReference(String p0, String p1, String p2, String p3, String p4, String p5) throws SQLException {
        return wrap(metaData.getCrossReference(p0, p1, p2, p3, p4, p5));
    }

    @Override
    public ResultSet getTypeInfo() throws SQLException {
        return wrap(metaData.getTypeInfo());
    }

    @Override
    public ResultSet getIndexInfo(String p0, String p1, String p2, boolean p3, boolean p4) throws SQLException {
        return wrap(metaData.getIndexInfo(p0, p1, p2, p3, p4));
    }

    @Override
    public ResultSet getUDTs(String p0, String p1, String p2, int[] p3) throws SQLException {
        return wrap(metaData.getUDTs(p0, p1, p2, p3));
    }

    @Override
    public ResultSet getSuperTypes(String p0, String p1, String p2) throws SQLException {
        return wrap(metaData.getSuperTypes(p0, p1, p2));
    }

    @Override
    public ResultSet getSuperTables(String p0, String p1, String p2) throws SQLException {
        return wrap(metaData.getSuperTables(p0, p1, p2));
    }

    @Override
    public ResultSet getAttributes(String p0, String p1, String p2, String p3) throws SQLException {
        return wrap(metaData.getAttributes(p0, p1, p2, p3));
    }

    @Override
    public ResultSet getSchemas(String p0, String p1) throws SQLException {
        return wrap(metaData.getSchemas(p0, p1));
    }

    @Override
    public ResultSet getClientInfoProperties() throws SQLException {
        return wrap(metaData.getClientInfoProperties());
    }

    @Override
    public ResultSet getFunctions(String p0, String p1, String p2) throws SQLException {
        return wrap(metaData.getFunctions(p0, p1, p2));
    }

    @Override
    public ResultSet getFunctionColumns(String p0, String p1, String p2, String p3) throws SQLException {
        return wrap(metaData.getFunctionColumns(p0, p1, p2, p3));
    }

    @Override
    public ResultSet getPseudoColumns(String p0, String p1, String p2, String p3) throws SQLException {
        return wrap(metaData.getPseudoColumns(p0, p1, p2, p3));
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
