package org.pgrepl.infra;

import java.nio.file.Path;

/**
 * One PostgreSQL server of an {@link EmbeddedCluster}: where to reach it. The server's role can
 * change (a replica can be promoted); ask the cluster, or the server itself with
 * {@code pg_is_in_recovery()}.
 */
public final class Server {
    private final String name;
    private final String host;
    private final int port;
    private final String database;
    private final Path dataDir;
    private final Path logFile;

    Server(String name, String host, int port, String database, Path dataDir, Path logFile) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.database = database;
        this.dataDir = dataDir;
        this.logFile = logFile;
    }

    /** The server's name in the cluster: {@code primary}, {@code replica1}, {@code replica2}, ... */
    public String name() {
        return name;
    }

    /** The loopback address the server listens on. */
    public String host() {
        return host;
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** {@code host:port}, as it appears in a pgrepl URL. */
    public String hostAndPort() {
        return host + ":" + port;
    }

    /** The plain pgjdbc URL of this server's database, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + hostAndPort() + "/" + database;
    }

    /** The data directory (deleted when the cluster closes). */
    public Path dataDir() {
        return dataDir;
    }

    /** The server log, whose tail goes into every start failure. */
    public Path logFile() {
        return logFile;
    }

    @Override
    public String toString() {
        return name + "@" + hostAndPort();
    }
}
