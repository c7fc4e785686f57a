package org.pgrepl.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A PgBouncer in front of each server of an {@link EmbeddedCluster}, on free loopback ports, in
 * session or transaction pooling mode: the pooled topology of production, for tests. Needs
 * Debian's {@code pgbouncer} package. Each PgBouncer runs as the unprivileged user when the JVM
 * is root (PgBouncer refuses root too), from its own ini file in a temporary directory;
 * {@link #close()} kills them and deletes the directory. The cluster stays up.
 */
public final class PgBouncerFront implements AutoCloseable {
    /** Where PgBouncer lives when Debian's package is installed. */
    static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    /** PgBouncer's {@code pool_mode}. */
    public enum PoolMode {
        /** A server session per client session: session state is safe. */
        SESSION,
        /** A server session per transaction: session state would reach other clients. */
        TRANSACTION;

        String ini() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final EmbeddedCluster cluster;
    private final PoolMode mode;
    private final int poolSize;
    private final Path dir;
    private final Map<Server, Integer> ports = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();

    private PgBouncerFront(EmbeddedCluster cluster, PoolMode mode, int poolSize) throws IOException {
        this.cluster = cluster;
        this.mode = mode;
        this.poolSize = poolSize;
        ServerUser user = ServerUser.resolve(null);
        this.dir = ClusterDirectory.create(user);
        List<Integer> free = FreePorts.take(cluster.servers().size());
        for (int i = 0; i < cluster.servers().size(); i++) {
            ports.put(cluster.servers().get(i), free.get(i));
        }
        // PgBouncer logs in to the server with the client's password (SCRAM both ways), so the
        // auth file holds it in plain text: readable by the server user only.
        Path userlist = dir.resolve("userlist.txt");
        Files.writeString(userlist, quoted(cluster.user()) + " " + quoted(cluster.password()) + "\n");
        user.own(dir);
        Files.setPosixFilePermissions(userlist, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        for (Map.Entry<Server, Integer> e : ports.entrySet()) {
            Path ini = dir.resolve(e.getKey().name() + ".ini");
            Files.writeString(ini, ini(e.getKey(), e.getValue(), userlist));
            user.own(ini);
            Process p = new ProcessBuilder(user.command(List.of(BINARY.toString(), ini.toString())))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(e.getKey().name() + ".out").toFile()).start();
            ClusterDirectory.rememberProcess(dir, "pgbouncer-" + e.getKey().name(), p);
            processes.add(p);
        }
        for (Map.Entry<Server, Integer> e : ports.entrySet()) {
            awaitListening(e.getKey(), e.getValue(), Duration.ofSeconds(20));
        }
    }

    /** True when Debian's pgbouncer is installed. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Starts a PgBouncer with server pools of 4 in front of every server of {@code cluster}. */
    public static PgBouncerFront start(EmbeddedCluster cluster, PoolMode mode) {
        return start(cluster, mode, 4);
    }

    /**
     * Starts a PgBouncer in front of every server of {@code cluster}, each with at most
     * {@code poolSize} server sessions per database and user (1 makes every client share one
     * session, so whatever one leaves on it shows); returns when each accepts connections.
     */
    public static PgBouncerFront start(EmbeddedCluster cluster, PoolMode mode, int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1");
        }
        if (!available()) {
            throw new ClusterStartException("PgBouncer is not installed (" + BINARY + "); install Debian's pgbouncer");
        }
        try {
            return new PgBouncerFront(cluster, mode, poolSize);
        } catch (IOException e) {
            throw new ClusterStartException("PgBouncer did not start: " + e.getMessage(), e);
        }
    }

    private String ini(Server server, int port, Path userlist) {
        String name = server.name();
        return String.join("\n",
                "[databases]",
                "* = host=127.0.0.1 port=" + server.port(),
                "",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + userlist,
                "pool_mode = " + mode.ini(),
                "default_pool_size = " + poolSize,
                "max_client_conn = 200",
                // pgjdbc sends it at startup; PgBouncer keeps no such per-client setting.
                "ignore_startup_parameters = extra_float_digits",
                "server_reset_query = DISCARD ALL",
                "logfile = " + dir.resolve(name + ".log"),
                "pidfile = " + dir.resolve(name + ".pid"),
                "");
    }

    private void awaitListening(Server server, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        String log = Commands.tail(dir.resolve(server.name() + ".out"), 10);
        close();
        throw new ClusterStartException("PgBouncer for " + server.name() + " is not listening on " + port + ":\n" + log);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** The directory of the ini files and logs (for tests). */
    Path directory() {
        return dir;
    }

    /** The pooling mode. */
    public PoolMode mode() {
        return mode;
    }

    /** The PgBouncer port in front of {@code server}. */
    public int port(Server server) {
        Integer p = ports.get(server);
        if (p == null) {
            throw new IllegalArgumentException("no PgBouncer in front of " + server);
        }
        return p;
    }

    /**
     * The pgrepl URL over the PgBouncers, primary first; in transaction mode it says so
     * ({@code transactionPooling=true}), which the driver needs to keep session state off.
     */
    public String pgreplUrl() {
        StringBuilder sb = new StringBuilder("jdbc:pgrepl://");
        boolean first = true;
        for (int port : ports.values()) {
            sb.append(first ? "" : ",").append("127.0.0.1:").append(port);
            first = false;
        }
        sb.append('/').append(cluster.database());
        return mode == PoolMode.TRANSACTION ? sb.append("?transactionPooling=true").toString() : sb.toString();
    }

    /** A plain pgjdbc URL through the PgBouncer in front of {@code server}. */
    public String pgjdbcUrl(Server server) {
        return "jdbc:postgresql://127.0.0.1:" + port(server) + "/" + cluster.database();
    }

    /** Kills every PgBouncer and deletes the directory; the cluster stays up. */
    @Override
    public synchronized void close() {
        for (Process p : processes) {
            ClusterDirectory.killTree(p.toHandle());
        }
        processes.clear();
        try {
            BundledBinaries.deleteTree(dir);
        } catch (IOException e) {
            System.getLogger(PgBouncerFront.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "PgBouncer (" + mode.ini() + " pooling) " + ports;
    }
}
