package org.pgrepl.jdbc;

import java.io.PrintWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.pgrepl.jdbc.config.PgReplProperty;
import org.pgrepl.jdbc.config.PgReplUrl;
import org.pgrepl.jdbc.route.LogicalConnection;

/**
 * A {@link DataSource} for {@code jdbc:pgrepl:} URLs, with a bean property for the URL, user,
 * password and every driver property, so HikariCP's {@code dataSourceClassName} (and Spring's
 * binders) can configure it:
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setDataSourceClassName("org.pgrepl.jdbc.PgReplDataSource");
 * config.addDataSourceProperty("url", "jdbc:pgrepl://db-main:5432,db-slave:5433/db_patient_health_record");
 * config.addDataSourceProperty("user", "admin");
 * config.addDataSourceProperty("password", secret);
 * config.addDataSourceProperty("readFallback", "fail");
 * }</pre>
 *
 * Values are checked when a connection is requested, with the same errors as the driver's.
 */
public class PgReplDataSource implements DataSource {
    private String url;
    private final Properties properties = new Properties();
    private int loginTimeout;
    private PrintWriter logWriter;

    /** The {@code jdbc:pgrepl:} URL. */
    public String getUrl() {
        return url;
    }

    /** @param url the {@code jdbc:pgrepl:} URL */
    public void setUrl(String url) {
        this.url = url;
    }

    /** The user name. */
    public String getUser() {
        return properties.getProperty("user");
    }

    /** @param user the user name */
    public void setUser(String user) {
        set("user", user);
    }

    /** @param password the password (never shown by {@link #toString()}) */
    public void setPassword(String password) {
        set("password", password);
    }

    /** @param value see the driver's {@code replicaSelection} */
    public void setReplicaSelection(String value) {
        set(PgReplProperty.REPLICA_SELECTION.getName(), value);
    }

    /** @param value see the driver's {@code readFallback} */
    public void setReadFallback(String value) {
        set(PgReplProperty.READ_FALLBACK.getName(), value);
    }

    /** @param value see the driver's {@code hostRecheck} */
    public void setHostRecheck(String value) {
        set(PgReplProperty.HOST_RECHECK.getName(), value);
    }

    /** @param value see the driver's {@code maxReplicaLag} */
    public void setMaxReplicaLag(String value) {
        set(PgReplProperty.MAX_REPLICA_LAG.getName(), value);
    }

    /** @param value see the driver's {@code maxReplicaLagBytes} */
    public void setMaxReplicaLagBytes(String value) {
        set(PgReplProperty.MAX_REPLICA_LAG_BYTES.getName(), value);
    }

    /** @param value see the driver's {@code readConsistency} */
    public void setReadConsistency(String value) {
        set(PgReplProperty.READ_CONSISTENCY.getName(), value);
    }

    /** @param value see the driver's {@code readYourWritesTimeout} */
    public void setReadYourWritesTimeout(String value) {
        set(PgReplProperty.READ_YOUR_WRITES_TIMEOUT.getName(), value);
    }

    /** @param value see the driver's {@code monitorInterval} */
    public void setMonitorInterval(String value) {
        set(PgReplProperty.MONITOR_INTERVAL.getName(), value);
    }

    /** @param value see the driver's {@code followPromotion} */
    public void setFollowPromotion(String value) {
        set(PgReplProperty.FOLLOW_PROMOTION.getName(), value);
    }

    /** @param value see the driver's {@code readOnly} */
    public void setReadOnly(String value) {
        set(PgReplProperty.READ_ONLY.getName(), value);
    }

    /** @param value {@code transactionPooling}: true when the hosts are poolers in transaction mode */
    public void setTransactionPooling(String value) {
        set(PgReplProperty.TRANSACTION_POOLING.getName(), value);
    }

    /** Any other property, driver's or pgjdbc's ({@code ssl}, {@code ApplicationName}, ...). */
    public void setProperty(String name, String value) {
        set(name, value);
    }

    private void set(String name, String value) {
        set(properties, name, value);
    }

    private static void set(Properties p, String name, String value) {
        if (value == null) {
            p.remove(name);
        } else {
            p.setProperty(name, value);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return open((Properties) properties.clone());
    }

    /**
     * A connection as {@code username}; as in pgjdbc's data sources, a null password means no
     * password (not this data source's), and a null user means no user property.
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties p = (Properties) properties.clone();
        set(p, "user", username);
        set(p, "password", password);
        return open(p);
    }

    /** @param p a copy of this data source's properties: the login timeout is applied per call, never kept */
    private Connection open(Properties p) throws SQLException {
        if (url == null) {
            throw new SQLException("pgrepl: the data source has no url", "08001");
        }
        if (loginTimeout > 0 && !p.containsKey("loginTimeout")) {
            p.setProperty("loginTimeout", Integer.toString(loginTimeout));
        }
        return LogicalConnection.open(PgReplUrl.parse(url, p));
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("pgrepl logs through System.Logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("pgrepl: not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /**
     * URL and properties; never a password: the value of every key that names one (also when the
     * key is percent-encoded, {@code pass%77ord}) and any {@code user:password@} part are masked.
     */
    @Override
    public String toString() {
        return "PgReplDataSource[" + (url == null ? null : maskUrl(url)) + ", properties="
                + properties.stringPropertyNames().stream().sorted()
                .map(k -> namesPassword(k) ? k + "=***" : k + "=" + properties.getProperty(k)).toList() + "]";
    }

    private static String maskUrl(String url) {
        // user:password@host is refused by connect, but must not be shown either.
        String shown = url.replaceAll("(//[^/?@]*?:)[^/?@]*@", "$1***@");
        int q = shown.indexOf('?');
        if (q < 0) {
            return shown;
        }
        StringBuilder sb = new StringBuilder(shown.substring(0, q + 1));
        String[] pairs = shown.substring(q + 1).split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            int eq = pairs[i].indexOf('=');
            String key = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
            sb.append(i == 0 ? "" : "&").append(eq >= 0 && namesPassword(key) ? key + "=***" : pairs[i]);
        }
        return sb.toString();
    }

    /** True when the key, raw or percent-decoded, names a password (or cannot be decoded, to be safe). */
    private static boolean namesPassword(String key) {
        if (key.toLowerCase(Locale.ROOT).contains("password")) {
            return true;
        }
        try {
            return URLDecoder.decode(key.replace("+", "%2B"), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT)
                    .contains("password");
        } catch (IllegalArgumentException malformed) {
            return true;
        }
    }
}
