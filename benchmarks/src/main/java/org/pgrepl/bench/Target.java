package org.pgrepl.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * The cluster under test: one primary and its replicas, the database and credentials, and the
 * JDBC URL of each system. No URL carries credentials; {@link #toString()} never shows the password.
 */
public final class Target {
    /**
     * The benchmark table, created on the primary by {@link BenchData}, in its own schema so that
     * Flyway (W6) still finds {@code public} as the DAO's migrations expect it.
     */
    public static final String TABLE = "pgrepl_bench.kv";

    /**
     * The AWS wrapper's parameters: the two, and {@code wrapperDialect=pg}, which spares each
     * new connection the dialect detection queries (the wrapper's best case on plain PostgreSQL).
     */
    public static final String AWS_PARAMETERS =
            "wrapperPlugins=readWriteSplitting&singleWriterConnectionString=true&wrapperDialect=pg";

    /**
     * The wrapper's {@code srw} plugin parameters after its two endpoints: role verification off,
     * which its documentation requires outside RDS/Aurora (the check queries RDS-only functions),
     * and {@code wrapperDialect=pg} as for C.
     */
    public static final String AWS_SRW_PARAMETERS = "wrapperPlugins=srw&verifyNewSrwConnections=false&wrapperDialect=pg";

    private final String primary;
    private final List<String> replicas;
    private final String database;
    private final Properties credentials;
    private int primaryPort = -1;
    private final List<Integer> replicaPorts = new ArrayList<>();
    private String serverVersion = "?";
    private String awsParameters = AWS_PARAMETERS;

    /**
     * @param primary     {@code host:port} of the primary
     * @param replicas    {@code host:port} of each hot standby
     * @param database    the database every system connects to
     * @param credentials {@code user} and {@code password}, copied
     */
    public Target(String primary, List<String> replicas, String database, Properties credentials) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("at least one replica is needed to measure routing");
        }
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
        this.database = database;
        this.credentials = new Properties();
        this.credentials.putAll(credentials);
    }

    /**
     * This target with its replicas rotated so that the one whose server port is {@code port}
     * comes first, or this target when that is the first already or none is: hand routing then
     * reads from the replica pgrepl's connection of the same round reads from, so a round's ratio
     * compares one server with itself.
     */
    Target replicaFirst(int port) {
        int first = replicaPorts.indexOf(port);
        if (first <= 0) {
            return this;
        }
        List<String> rotated = new ArrayList<>(replicas);
        Collections.rotate(rotated, -first);
        Target t = new Target(primary, rotated, database, credentials);
        t.primaryPort = primaryPort;
        t.replicaPorts.addAll(replicaPorts);
        Collections.rotate(t.replicaPorts, -first);
        t.serverVersion = serverVersion;
        t.awsParameters = awsParameters;
        return t;
    }

    /**
     * Connects to every host directly and records its role and {@code inet_server_port()}; fails
     * when the first host is in recovery or another is not.
     */
    public Target discover() throws SQLException {
        try (Connection c = DriverManager.getConnection(pgjdbcUrl(primary), props())) {
            RoutingProbe.Observation o = RoutingProbe.observe(c);
            if (o.inRecovery()) {
                throw new SQLException("the first host " + primary + " is in recovery: list the primary first");
            }
            primaryPort = o.port();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                serverVersion = rs.getString(1);
            }
        }
        replicaPorts.clear();
        for (String r : replicas) {
            try (Connection c = DriverManager.getConnection(pgjdbcUrl(r), props())) {
                RoutingProbe.Observation o = RoutingProbe.observe(c);
                if (!o.inRecovery()) {
                    throw new SQLException("the host " + r + " is not in recovery: list hot standbys after the primary");
                }
                replicaPorts.add(o.port());
            }
        }
        return this;
    }

    /** {@code host:port} of the primary. */
    public String primary() {
        return primary;
    }

    /** {@code host:port} of replica {@code i % replicas}. */
    public String replica(int i) {
        return replicas.get(Math.floorMod(i, replicas.size()));
    }

    /** The replicas' {@code host:port}, in URL order. */
    public List<String> replicas() {
        return replicas;
    }

    /** The database name. */
    public String database() {
        return database;
    }

    /** The primary's {@code inet_server_port()}, as seen by {@link #discover()}. */
    public int primaryPort() {
        return primaryPort;
    }

    /** The replicas' {@code inet_server_port()}, as seen by {@link #discover()}. */
    public List<Integer> replicaPorts() {
        return List.copyOf(replicaPorts);
    }

    /** The primary's {@code server_version}. */
    public String serverVersion() {
        return serverVersion;
    }

    /** A fresh copy of the credentials, for a driver or a pool. */
    public Properties props() {
        Properties p = new Properties();
        p.putAll(credentials);
        return p;
    }

    /** The user name (never the password). */
    public String user() {
        return credentials.getProperty("user");
    }

    /** The password, for pool configuration only: never print it. */
    String password() {
        return credentials.getProperty("password");
    }

    /** A plain pgjdbc URL of one server. */
    public String pgjdbcUrl(String hostPort) {
        return "jdbc:postgresql://" + hostPort + "/" + database;
    }

    /** The {@code jdbc:pgrepl:} URL of the whole cluster, with optional driver parameters ({@code a=b&c=d}). */
    public String pgreplUrl(String query) {
        return "jdbc:pgrepl://" + primary + "," + String.join(",", replicas) + "/" + database
                + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    /**
     * The AWS Advanced JDBC Wrapper URL: every host listed, the writer first, as its
     * connection-string host list provider needs for a non-Aurora cluster.
     */
    public String awsUrl() {
        return "jdbc:aws-wrapper:postgresql://" + primary + "," + String.join(",", replicas) + "/" + database
                + "?" + awsParameters;
    }

    /**
     * The wrapper URL of system F: the primary as the initial host, {@code srwWriteEndpoint} the
     * primary and {@code srwReadEndpoint} the first replica, each as {@code host:port} (the plugin
     * compares a connection's host and port with them to tell whether to switch).
     */
    public String awsSrwUrl() {
        return "jdbc:aws-wrapper:postgresql://" + primary + "/" + database + "?" + awsSrwParameters();
    }

    /** F's URL parameters, endpoints included. */
    public String awsSrwParameters() {
        return AWS_SRW_PARAMETERS + "&srwWriteEndpoint=" + primary + "&srwReadEndpoint=" + replicas.get(0);
    }

    /** Replaces the wrapper's URL parameters (tests show what a missing flag does). */
    public Target awsParameters(String parameters) {
        this.awsParameters = parameters;
        return this;
    }

    /** The wrapper's URL parameters in use. */
    public String awsParameters() {
        return awsParameters;
    }

    /** The message with every occurrence of the password replaced by {@code ***}. */
    public String redact(String message) {
        String pw = password();
        return message == null || pw == null || pw.isEmpty() ? message : message.replace(pw, "***");
    }

    @Override
    public String toString() {
        return "primary " + primary + ", replicas " + replicas + ", database " + database + ", user " + user();
    }
}
