package org.pgrepl.infra;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A real PostgreSQL primary and N streaming hot-standby replicas, started as local processes on
 * free loopback ports in a temporary directory: the replicated pair of the compose setup, with no
 * Docker. Built by {@link #builder()}; {@link #close()} stops every server and deletes every
 * directory, and so does a JVM that exits early (normal exit, uncaught exception, SIGTERM).
 *
 * <p>The controls ({@link #stop}, {@link #kill}, {@link #pauseReplay}, {@link #promote}, ...)
 * inject real faults for tests.
 */
public final class EmbeddedCluster implements AutoCloseable {
    private static final Set<EmbeddedCluster> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(EmbeddedCluster::close),
                "pgrepl-cluster-shutdown"));
    }

    private final ClusterNodes nodes;
    private final Map<Server, TcpRelay> relays = new ConcurrentHashMap<>();
    private final List<Server> servers;
    private final String database;
    private final Properties credentials;
    private volatile Server primary;
    private volatile boolean closed;

    EmbeddedCluster(ClusterNodes nodes, List<Server> servers, String database, Properties credentials) {
        this.nodes = nodes;
        this.servers = List.copyOf(servers);
        this.database = database;
        this.credentials = credentials;
        this.primary = servers.get(0);
        OPEN.add(this);
    }

    /** A builder for 1 primary + N replicas (2 by default). */
    public static EmbeddedClusterBuilder builder() {
        return new EmbeddedClusterBuilder();
    }

    /** The server that currently takes writes, as this launcher knows it (it follows {@link #promote}). */
    public Server primary() {
        return primary;
    }

    /** Every server except the current primary, in start order. */
    public List<Server> replicas() {
        List<Server> replicas = new ArrayList<>(servers);
        replicas.remove(primary);
        return Collections.unmodifiableList(replicas);
    }

    /** Every server in start order: the first primary, then replica1, replica2, ... */
    public List<Server> servers() {
        return servers;
    }

    /** The server with this name ({@code primary}, {@code replica1}, ...). */
    public Server server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no server named " + name));
    }

    /** The application database, {@code db_patient_health_record} by default. */
    public String database() {
        return database;
    }

    /** The application user, {@code admin} by default. */
    public String user() {
        return credentials.getProperty("user");
    }

    /** The application user's password. */
    public String password() {
        return credentials.getProperty("password");
    }

    /** A new {@code Properties} with {@code user} and {@code password}. */
    public Properties credentials() {
        Properties copy = new Properties();
        copy.putAll(credentials);
        return copy;
    }

    /**
     * The {@code jdbc:pgrepl:} URL of the whole cluster, first the configured primary, then the
     * replicas; no credentials (pass them as properties).
     */
    public String pgreplUrl() {
        StringBuilder url = new StringBuilder("jdbc:pgrepl://");
        for (int i = 0; i < servers.size(); i++) {
            url.append(i == 0 ? "" : ",").append(servers.get(i).hostAndPort());
        }
        return url.append('/').append(database).toString();
    }

    /** A plain pgjdbc connection to one server's application database, as the application user. */
    public Connection connect(Server server) throws SQLException {
        return Sql.connect(server, database, credentials);
    }

    /** Waits until every running, unpaused replica has replayed the primary's current WAL position. */
    public void awaitReplication() {
        nodes.awaitReplayed(primary, replicas());
    }

    /** Waits until one replica has replayed the primary's current WAL position. */
    public void awaitReplication(Server replica) {
        nodes.awaitReplayed(primary, List.of(replica));
    }

    /** Stops a server cleanly ({@code pg_ctl stop -m fast}). */
    public void stop(Server server) {
        nodes.stop(server);
    }

    /** Starts a stopped or killed server and waits until it accepts connections. */
    public void start(Server server) {
        nodes.start(server);
    }

    /** Stops (if running) and starts a server. */
    public void restart(Server server) {
        nodes.stop(server);
        nodes.start(server);
    }

    /** SIGKILLs the server's postmaster and all its processes, as a crash would. */
    public void kill(Server server) {
        nodes.kill(server);
    }

    /** Pauses WAL replay on a replica: it keeps receiving WAL but its data stops moving. */
    public void pauseReplay(Server replica) {
        nodes.sql(replica, "SELECT pg_wal_replay_pause()");
    }

    /** Resumes WAL replay on a replica. */
    public void resumeReplay(Server replica) {
        nodes.sql(replica, "SELECT pg_wal_replay_resume()");
    }

    /** Promotes a replica to a writable primary and waits for it; the old primary is left as it is. */
    public void promote(Server replica) {
        nodes.promote(replica);
        primary = replica;
    }

    /**
     * Points a replica at another primary (after {@link #promote}), through a new slot there;
     * it follows the new timeline ({@code recovery_target_timeline = 'latest'}).
     */
    public void repoint(Server replica, Server newPrimary) {
        nodes.repoint(replica, newPrimary);
    }

    /**
     * The loopback TCP relay in front of a server (started on first call), whose traffic can be
     * stalled or cut; connect through {@link TcpRelay#port()} to be subject to it.
     */
    public TcpRelay relay(Server server) {
        return relays.computeIfAbsent(server, s -> {
            try {
                return new TcpRelay(s);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a relay for " + s, e);
            }
        });
    }

    /** The {@code jdbc:pgrepl:} URL of the cluster with every server reached through its relay. */
    public String pgreplUrlThroughRelays() {
        StringBuilder url = new StringBuilder("jdbc:pgrepl://");
        for (int i = 0; i < servers.size(); i++) {
            url.append(i == 0 ? "" : ",").append(relay(servers.get(i)).hostAndPort());
        }
        return url.append('/').append(database).toString();
    }

    /** The server a port belongs to, its own or its relay's; null when neither. */
    public Server serverAt(int port) {
        for (Server s : servers) {
            TcpRelay r = relays.get(s);
            if (s.port() == port || (r != null && r.port() == port)) {
                return s;
            }
        }
        return null;
    }

    /** True when the server's postmaster process is alive. */
    public boolean isRunning(Server server) {
        return nodes.isRunning(server);
    }

    /** Where the binaries came from (this machine or the Maven Central bundle), and their version. */
    public String binariesDescription() {
        return nodes.binariesDescription();
    }

    /** Stops every server (SIGKILL where a clean stop fails) and deletes the cluster directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        relays.values().forEach(TcpRelay::close);
        nodes.destroy(servers);
    }

    @Override
    public String toString() {
        Map<String, String> roles = new LinkedHashMap<>();
        servers.forEach(s -> roles.put(s.name(), s.hostAndPort()));
        return "EmbeddedCluster" + roles;
    }
}
