package org.pgrepl.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;
import org.pgrepl.jdbc.config.PgReplProperty;
import org.pgrepl.jdbc.config.PgReplUrl;
import org.pgrepl.jdbc.route.LogicalConnection;

/**
 * The {@code jdbc:pgrepl:} driver: read-only connections go to a hot-standby replica, everything
 * else to the primary. Registered with {@link DriverManager} when loaded (and through
 * {@code META-INF/services/java.sql.Driver}).
 *
 * <p>{@link #connect} returns null for other URLs (and throws for a null one, as JDBC 4.3 and pgjdbc
 * do), never changes the caller's {@code Properties},
 * validates the URL and opens no server connection: the first call that needs a server opens the
 * current route's connection.
 */
public final class Driver implements java.sql.Driver {
    /** Version reported by the driver. */
    public static final int MAJOR_VERSION = 0;
    /** Version reported by the driver. */
    public static final int MINOR_VERSION = 1;
    private static final Set<String> OWNED = Set.of("targetServerType", "loadBalanceHosts", "hostRecheckSeconds",
            "readOnlyMode", "readOnly");

    static {
        try {
            DriverManager.registerDriver(new Driver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (url == null) {
            throw new SQLException("pgrepl: url is null", "08001");
        }
        if (!acceptsURL(url)) {
            return null;
        }
        return LogicalConnection.open(PgReplUrl.parse(url, info));
    }

    /** True for any URL starting with {@code jdbc:pgrepl:}; the rest is checked by {@link #connect}. */
    @Override
    public boolean acceptsURL(String url) {
        return PgReplUrl.acceptsURL(url);
    }

    /**
     * The driver's own properties, then pgjdbc's (less the ones pgrepl owns), each with its current
     * value from the URL, else {@code info}, else its default, as pgjdbc shows them.
     */
    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        Properties effective = PgReplUrl.withUrlParameters(url, info);
        List<DriverPropertyInfo> all = new ArrayList<>();
        for (PgReplProperty p : PgReplProperty.values()) {
            all.add(p.toDriverPropertyInfo(effective));
        }
        for (DriverPropertyInfo p : new org.postgresql.Driver().getPropertyInfo(pgjdbcUrlOf(url), effective)) {
            if (!OWNED.contains(p.name)) {
                all.add(p);
            }
        }
        return all.toArray(new DriverPropertyInfo[0]);
    }

    /** pgjdbc's URL of the configured primary, so its PGHOST, PGPORT and PGDBNAME show the URL's. */
    private static String pgjdbcUrlOf(String url) {
        try {
            PgReplUrl parsed = PgReplUrl.parse(url, null);
            return parsed.pgjdbcUrl(parsed.primary());
        } catch (SQLException malformed) {
            return "jdbc:postgresql://localhost/";
        }
    }

    @Override
    public int getMajorVersion() {
        return MAJOR_VERSION;
    }

    @Override
    public int getMinorVersion() {
        return MINOR_VERSION;
    }

    /** False, as for pgjdbc, which this driver passes every SQL statement to unchanged. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("pgrepl logs through System.Logger");
    }
}
