package org.pgrepl.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** How each system opens a connection or a pool: the only place that knows the drivers. */
public final class Systems {
    /** pgjdbc's driver class. */
    public static final String PGJDBC_DRIVER = "org.postgresql.Driver";
    /** pgrepl's driver class. */
    public static final String PGREPL_DRIVER = "org.pgrepl.jdbc.Driver";
    /** The AWS Advanced JDBC Wrapper's driver class. */
    public static final String AWS_DRIVER = "software.amazon.jdbc.Driver";

    static {
        for (String driver : new String[] {PGJDBC_DRIVER, PGREPL_DRIVER, AWS_DRIVER}) {
            try {
                Class.forName(driver);
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError("driver missing from the class path: " + driver);
            }
        }
    }

    private Systems() {
    }

    /** A plain pgjdbc connection to one server, through {@link DriverManager}. */
    public static Connection plain(Target t, String hostPort) throws SQLException {
        return DriverManager.getConnection(t.pgjdbcUrl(hostPort), t.props());
    }

    /** A pgrepl logical connection to the cluster, with optional driver parameters. */
    public static Connection pgrepl(Target t, String query) throws SQLException {
        return DriverManager.getConnection(t.pgreplUrl(query), t.props());
    }

    /** An AWS wrapper connection with read/write splitting over the listed hosts. */
    public static Connection aws(Target t) throws SQLException {
        return DriverManager.getConnection(t.awsUrl(), t.props());
    }

    /** An AWS wrapper connection with the {@code srw} plugin's two fixed endpoints (system F). */
    public static Connection awsSrw(Target t) throws SQLException {
        return DriverManager.getConnection(t.awsSrwUrl(), t.props());
    }

    /** A logical connection of a routing system (B, C or F), or a plain one to the primary for A. */
    public static Connection routed(SystemId system, Target t, String pgreplQuery) throws SQLException {
        return switch (system) {
            case A -> plain(t, t.primary());
            case B -> pgrepl(t, pgreplQuery);
            case C -> aws(t);
            case F -> awsSrw(t);
            case D, E -> throw new IllegalArgumentException(system + " is a pooled comparator only");
        };
    }

    /**
     * A HikariCP pool of {@code size} connections, all opened before it returns.
     *
     * @param name   the pool's name (shows in thread names)
     * @param url    the JDBC URL (no credentials)
     * @param driver the driver class name
     */
    public static HikariDataSource pool(String name, String url, String driver, Target t, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setDriverClassName(driver);
        config.setUsername(t.user());
        config.setPassword(t.password());
        return filled(name, config, size);
    }

    /**
     * A HikariCP pool of {@code size} pgjdbc connections to the replicas, each new one to the next
     * replica in turn (hand routing's replica side: reads spread as pgrepl's are).
     */
    public static HikariDataSource replicasPool(String name, Target t, int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(new ReplicasInTurn(t));
        return filled(name, config, size);
    }

    private static HikariDataSource filled(String name, HikariConfig config, int size) {
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pool.getHikariPoolMXBean().getTotalConnections() < size && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return pool;
    }
}
