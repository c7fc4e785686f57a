package org.pgrepl.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Process-level control of a cluster's servers: initdb, clone, start, stop, kill, promote. Every
 * server command runs as the {@link ServerUser}; every failure carries the server log's tail.
 */
final class ClusterNodes {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(60);
    private static final System.Logger LOG = System.getLogger(ClusterNodes.class.getName());

    private final PgBinaries binaries;
    private final ServerUser user;
    private final Path clusterDir;
    private final String database;
    private final Properties credentials;
    private final String replicatorPassword;
    private final Map<String, String> settings;

    ClusterNodes(PgBinaries binaries, ServerUser user, Path clusterDir, String database, Properties credentials,
                 String replicatorPassword, Map<String, String> settings) {
        this.binaries = binaries;
        this.user = user;
        this.clusterDir = clusterDir;
        this.database = database;
        this.credentials = credentials;
        this.replicatorPassword = replicatorPassword;
        this.settings = settings;
    }

    Path clusterDir() {
        return clusterDir;
    }

    String binariesDescription() {
        return "PostgreSQL " + binaries.majorVersion() + " from " + binaries.source() + " (" + binaries.binDir() + ")";
    }

    /** initdb with the application user as bootstrap superuser, then the shared configuration. */
    void initPrimary(Server server) throws IOException {
        Path pwFile = clusterDir.resolve("pwfile");
        Files.writeString(pwFile, credentials.getProperty("password") + "\n");
        Files.setPosixFilePermissions(pwFile, PosixFilePermissions.fromString("rw-------"));
        user.own(pwFile);
        try {
            Commands.check(user.command(List.of(binaries.tool("initdb"), "-D", server.dataDir().toString(),
                    "-U", credentials.getProperty("user"), "--pwfile=" + pwFile, "-E", "UTF8", "--locale=C",
                    "--auth=scram-sha-256", "--no-sync")), Map.of(), START_TIMEOUT);
        } finally {
            Files.deleteIfExists(pwFile);
        }
        ServerConfig.write(server.dataDir(), server.port(), clusterDir.resolve("sock"), settings, List.of());
    }

    /** Clones a replica from the primary through its own slot and makes it a standby. */
    void initReplica(Server primary, Server replica, ReplicaCloner cloner) throws IOException, SQLException {
        String slot = slotName(replica);
        Path passFile = clusterDir.resolve("pgpass");
        Files.writeString(passFile, "*:*:*:replicator:" + replicatorPassword + "\n");
        Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-------"));
        user.own(passFile);
        try (Connection c = Sql.connect(primary, "postgres", credentials)) {
            Sql.queryString(c, "SELECT pg_create_physical_replication_slot(?, true)", slot);
            cloner.clone(primary, replica.dataDir(), slot, c, passFile);
        } finally {
            Files.deleteIfExists(passFile);
        }
        ServerConfig.write(replica.dataDir(), replica.port(), clusterDir.resolve("sock"), settings,
                ServerConfig.standbyOf(primary, slot, replica.name(), replicatorPassword));
        Files.writeString(replica.dataDir().resolve("standby.signal"), "");
        Files.setPosixFilePermissions(replica.dataDir(), PosixFilePermissions.fromString("rwx------"));
        user.own(replica.dataDir());
    }

    static String slotName(Server replica) {
        return "pgrepl_" + replica.name();
    }

    void start(Server server) {
        try {
            Commands.check(user.command(List.of(binaries.tool("pg_ctl"), "start", "-D", server.dataDir().toString(),
                    "-l", server.logFile().toString(), "-w", "-t", String.valueOf(START_TIMEOUT.toSeconds()))),
                    Map.of(), START_TIMEOUT.plusSeconds(10));
        } catch (ClusterStartException e) {
            throw new ClusterStartException(server + " did not start. " + e.getMessage()
                    + "\nserver log (" + server.logFile() + "):\n" + Commands.tail(server.logFile(), 40), e);
        }
    }

    void stop(Server server) {
        if (!isRunning(server)) {
            return;
        }
        Commands.Result r = Commands.run(user.command(List.of(binaries.tool("pg_ctl"), "stop", "-D",
                server.dataDir().toString(), "-m", "fast", "-w", "-t", "60")), Map.of(), Duration.ofSeconds(70));
        if (r.exitCode() != 0 && isRunning(server)) {
            throw new ClusterStartException(server + " did not stop: " + Commands.tail(r.output(), 10)
                    + "\nserver log:\n" + Commands.tail(server.logFile(), 20));
        }
    }

    void kill(Server server) {
        ClusterDirectory.postmaster(server.dataDir().resolve("postmaster.pid")).ifPresent(ClusterDirectory::killTree);
    }

    boolean isRunning(Server server) {
        return ClusterDirectory.postmaster(server.dataDir().resolve("postmaster.pid")).isPresent();
    }

    void promote(Server replica) {
        String ok = sql(replica, "SELECT pg_promote(true, 60)");
        if (!"t".equals(ok)) {
            throw new ClusterStartException(replica + " was not promoted within 60 s; server log:\n"
                    + Commands.tail(replica.logFile(), 20));
        }
    }

    void repoint(Server replica, Server newPrimary) {
        String slot = slotName(replica);
        sql(newPrimary, "SELECT pg_create_physical_replication_slot(s, true) FROM (SELECT "
                + Sql.literal(slot) + " AS s) x WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = x.s)");
        for (String setting : ServerConfig.standbyOf(newPrimary, slot, replica.name(), replicatorPassword)) {
            String[] kv = setting.split(" = ", 2);
            sql(replica, "ALTER SYSTEM SET " + kv[0] + " = " + kv[1]);
        }
        sql(replica, "SELECT pg_reload_conf()");
    }

    /** Runs one statement as the superuser on a server's application database; returns the first value. */
    String sql(Server server, String statement) {
        try (Connection c = Sql.connect(server, database, credentials)) {
            return Sql.run(c, statement);
        } catch (SQLException e) {
            throw new ClusterStartException("on " + server + ": " + e.getMessage(), e);
        }
    }

    /** Waits until each replica shows up as {@code streaming} in the primary's pg_stat_replication. */
    void awaitStreaming(Server primary, List<Server> replicas) {
        for (Server r : replicas) {
            poll(primary, "SELECT count(*) FROM pg_stat_replication WHERE application_name = ? AND state = 'streaming'",
                    r.name(), "1", r + " to stream from " + primary, r);
        }
    }

    void awaitReplayed(Server primary, List<Server> replicas) {
        String lsn;
        try (Connection c = Sql.connect(primary, database, credentials)) {
            // An asynchronous commit (synchronous_commit=off) is acknowledged before its WAL is
            // written: a commit of our own that waits for the local flush writes it too, so the
            // position read next covers every commit acknowledged before this call. The commit
            // must write WAL of its own: PostgreSQL flushes only for a transaction that did
            // (an xid alone, as txid_current() takes, commits asynchronously).
            Sql.execute(c, "SET synchronous_commit = local");
            Sql.queryString(c, "SELECT pg_logical_emit_message(true, 'pgrepl-infra', 'await replay')::text");
            lsn = Sql.queryString(c, "SELECT pg_current_wal_flush_lsn()::text");
        } catch (SQLException e) {
            throw new ClusterStartException("cannot read " + primary + "'s WAL position: " + e.getMessage(), e);
        }
        for (Server r : replicas) {
            if (isRunning(r)) {
                poll(r, "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn", lsn, "t", r + " to replay " + lsn, r);
            }
        }
    }

    private void poll(Server on, String query, String arg, String expected, String what, Server logOf) {
        long deadline = System.nanoTime() + REPLICATION_TIMEOUT.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try (Connection c = Sql.connect(on, database, credentials)) {
                while (System.nanoTime() < deadline) {
                    last = Sql.queryString(c, query, arg);
                    if (expected.equals(last)) {
                        return;
                    }
                    Thread.sleep(20);
                }
            } catch (SQLException e) {
                last = e.getMessage();
                sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterStartException("interrupted while waiting for " + what, e);
            }
        }
        throw new ClusterStartException("timed out after " + REPLICATION_TIMEOUT.toSeconds() + " s waiting for " + what
                + " (last answer: " + last + "); log of " + logOf + ":\n" + Commands.tail(logOf.logFile(), 30));
    }

    /** Stops every server (SIGKILL where a clean stop fails) and deletes the cluster directory. */
    void destroy(List<Server> servers) {
        for (Server s : servers) {
            try {
                stop(s);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "clean stop of " + s + " failed, killing it: " + e.getMessage());
            }
            kill(s);
        }
        try {
            BundledBinaries.deleteTree(clusterDir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + clusterDir + ": " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
