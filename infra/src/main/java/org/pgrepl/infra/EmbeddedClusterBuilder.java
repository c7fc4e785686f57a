package org.pgrepl.infra;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds and starts an {@link EmbeddedCluster}: initdb and start the primary, apply the shared
 * init SQL, create the application database, then for each replica create its slot, clone,
 * start, and return only when every replica is {@code streaming}.
 */
public final class EmbeddedClusterBuilder {
    private static final System.Logger LOG = System.getLogger(EmbeddedClusterBuilder.class.getName());

    private int replicas = 2;
    private String binaries;
    private String osUser;
    private String database = "db_patient_health_record";
    private String user = "admin";
    private String password;
    private final Map<String, String> settings = new LinkedHashMap<>();

    EmbeddedClusterBuilder() {
    }

    /** Number of streaming replicas (0 or more; default 2). */
    public EmbeddedClusterBuilder replicas(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("replicas must be 0 or more");
        }
        this.replicas = count;
        return this;
    }

    /**
     * The PostgreSQL binaries: a bin directory, or {@code "bundled"} for the Maven Central bundle.
     * Default: {@code PGREPL_PG_BIN}, else this machine's, else the bundle.
     */
    public EmbeddedClusterBuilder binaries(String binDirOrBundled) {
        this.binaries = binDirOrBundled;
        return this;
    }

    /** Shortcut for {@code binaries("bundled")}: the Maven Central bundle even where the machine has PostgreSQL. */
    public EmbeddedClusterBuilder bundledBinaries() {
        return binaries(PgBinaries.BUNDLED);
    }

    /** The unprivileged OS user to run the servers as when the JVM is root (default {@code postgres}). */
    public EmbeddedClusterBuilder osUser(String name) {
        this.osUser = name;
        return this;
    }

    /** The application database (default {@code db_patient_health_record}). */
    public EmbeddedClusterBuilder database(String name) {
        this.database = name;
        return this;
    }

    /** The application user, the cluster's superuser (default {@code admin}). */
    public EmbeddedClusterBuilder user(String name) {
        this.user = name;
        return this;
    }

    /** The application user's password (default: random per cluster). */
    public EmbeddedClusterBuilder password(String password) {
        this.password = password;
        return this;
    }

    /** A {@code postgresql.conf} setting for every server, applied after the shared ones. */
    public EmbeddedClusterBuilder setting(String name, String value) {
        settings.put(name, value);
        return this;
    }

    /** Starts the cluster; on failure, everything already started is stopped and removed. */
    public EmbeddedCluster start() {
        ServerUser serverUser = ServerUser.resolve(osUser);
        PgBinaries bins = PgBinaries.resolve(binaries);
        Properties credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password != null ? password : Secrets.random());
        Path dir;
        try {
            dir = ClusterDirectory.create(serverUser);
        } catch (IOException e) {
            throw new ClusterStartException("cannot create the cluster directory: " + e.getMessage(), e);
        }
        String replicatorPassword = Secrets.random();
        ClusterNodes nodes = new ClusterNodes(bins, serverUser, dir, database, credentials, replicatorPassword,
                Map.copyOf(settings));
        List<Server> servers = new ArrayList<>();
        List<Integer> ports = FreePorts.take(replicas + 1);
        for (int i = 0; i <= replicas; i++) {
            String name = i == 0 ? "primary" : "replica" + i;
            servers.add(new Server(name, "127.0.0.1", ports.get(i), database, dir.resolve(name), dir.resolve(name + ".log")));
        }
        try {
            long t0 = System.nanoTime();
            Server primary = servers.get(0);
            nodes.initPrimary(primary);
            nodes.start(primary);
            initSchema(primary, credentials, replicatorPassword);
            ReplicaCloner cloner = new ReplicaCloner(bins, serverUser);
            for (Server replica : servers.subList(1, servers.size())) {
                nodes.initReplica(primary, replica, cloner);
                nodes.start(replica);
            }
            nodes.awaitStreaming(primary, servers.subList(1, servers.size()));
            LOG.log(System.Logger.Level.INFO, "pgrepl cluster up in {0} ms: {1}, replicas cloned with {2}; {3}",
                    (System.nanoTime() - t0) / 1_000_000, nodes.binariesDescription(),
                    cloner.usesBaseBackup() ? "pg_basebackup" : "the low-level backup API", servers);
            return new EmbeddedCluster(nodes, servers, database, credentials);
        } catch (IOException | SQLException | RuntimeException e) {
            StringBuilder logs = new StringBuilder();
            for (Server s : servers) {
                logs.append("\n--- ").append(s).append(" log tail ---\n").append(Commands.tail(s.logFile(), 20));
            }
            nodes.destroy(servers);
            if (e instanceof ClusterStartException cse) {
                throw new ClusterStartException(cse.getMessage() + logs, e);
            }
            throw new ClusterStartException("cluster start failed: " + e + logs, e);
        }
    }

    /** The shared init SQL (roles), the replicator's password, and the application database. */
    private void initSchema(Server primary, Properties credentials, String replicatorPassword) throws SQLException {
        try (Connection c = Sql.connect(primary, "postgres", credentials)) {
            for (String file : ServerConfig.INIT_SQL) {
                Sql.execute(c, ServerConfig.resource(file));
            }
            // As compose's 30-role-passwords.sh does from its env file.
            Sql.execute(c, "ALTER ROLE replicator WITH PASSWORD " + Sql.literal(replicatorPassword));
            Sql.execute(c, "CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
        }
    }
}
