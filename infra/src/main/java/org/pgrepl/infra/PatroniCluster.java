package org.pgrepl.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An etcd and N Patroni-managed PostgreSQL members on free loopback ports in a temporary
 * directory, from the shared {@code infra/patroni/patroni.yml}: automatic failover for tests.
 * Needs Debian's {@code patroni} and {@code etcd-server} packages and this machine's PostgreSQL
 * (Patroni clones replicas with pg_basebackup). Servers run as the unprivileged user when the JVM
 * is root. {@link #close()} kills every process and deletes the directory.
 */
public final class PatroniCluster implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern MEMBER = Pattern.compile(
            "\\{[^{}]*\"name\": ?\"([^\"]+)\"[^{}]*\"role\": ?\"([^\"]+)\"[^{}]*\"state\": ?\"([^\"]+)\"[^{}]*\\}");

    /** One member: its name, PostgreSQL port and REST API port. */
    public record Member(String name, int port, int restPort) {
        /** host:port of its PostgreSQL. */
        public String hostAndPort() {
            return "127.0.0.1:" + port;
        }
    }

    private final ServerUser user;
    private final PgBinaries binaries;
    private final Path dir;
    private final List<Member> members = new ArrayList<>();
    private final Map<String, Process> processes = new HashMap<>();
    private final Properties credentials = new Properties();
    private final String replicatorPassword;
    private final int etcdPort;
    private Process etcd;
    private volatile boolean synchronousMode;

    private PatroniCluster(int count) throws IOException {
        this.user = ServerUser.resolve(null);
        this.binaries = PgBinaries.resolve(null);
        if (!binaries.has("pg_basebackup") || !binaries.has("pg_rewind")) {
            throw new ClusterStartException("Patroni needs pg_basebackup and pg_rewind; " + binaries.binDir() + " has not");
        }
        this.dir = ClusterDirectory.create(user);
        List<Integer> ports = FreePorts.take(2 + 2 * count);
        this.etcdPort = ports.get(0);
        for (int i = 0; i < count; i++) {
            members.add(new Member("member" + (i + 1), ports.get(2 + 2 * i), ports.get(3 + 2 * i)));
        }
        credentials.setProperty("user", "admin");
        credentials.setProperty("password", Secrets.random());
        replicatorPassword = Secrets.random();
        startEtcd(ports.get(1));
        Files.writeString(dir.resolve("patroni.yml"), ServerConfig.resource(ServerConfig.PATRONI_YML));
        user.own(dir);
    }

    /** True when everything a Patroni cluster needs is here; see {@link #missing()}. */
    public static boolean available() {
        return missing() == null;
    }

    /**
     * What is missing for a Patroni cluster, in words a skipped test can print, or null: Debian's
     * {@code patroni} and {@code etcd-server} packages, and PostgreSQL binaries with pg_basebackup
     * and pg_rewind (a system PostgreSQL; the Maven Central bundle has neither).
     */
    public static String missing() {
        if (!Files.isExecutable(Path.of("/usr/bin/patroni")) || !Files.isExecutable(Path.of("/usr/bin/etcd"))) {
            return "needs Debian packages patroni and etcd-server";
        }
        PgBinaries binaries;
        try {
            binaries = PgBinaries.resolve(null);
        } catch (ClusterStartException e) {
            return "needs PostgreSQL binaries: " + e.getMessage();
        }
        if (!binaries.has("pg_basebackup") || !binaries.has("pg_rewind")) {
            return "needs a PostgreSQL with pg_basebackup and pg_rewind (Debian package postgresql); "
                    + binaries.binDir() + " (" + binaries.source() + ") has not";
        }
        return null;
    }

    /** Starts etcd and {@code count} members; returns when a leader and count-1 running replicas exist. */
    public static PatroniCluster start(int count, boolean synchronousMode) {
        PatroniCluster c = null;
        try {
            c = new PatroniCluster(count);
            for (Member m : c.members) {
                c.startMember(m);
            }
            c.awaitHealthy(Duration.ofSeconds(90));
            c.setSynchronousMode(synchronousMode);
            c.awaitHealthy(Duration.ofSeconds(60));
            try (Connection conn = Sql.connect(c.leaderMember(), "postgres", c.credentials)) {
                Sql.execute(conn, "CREATE DATABASE db_patient_health_record");
            }
            return c;
        } catch (IOException | SQLException | RuntimeException e) {
            String logs = c == null ? "" : c.logTails();
            if (c != null) {
                c.close();
            }
            throw new ClusterStartException("Patroni cluster did not start: " + e.getMessage() + logs, e);
        }
    }

    private void startEtcd(int peerPort) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(user.command(List.of("/usr/bin/etcd", "--name", "etcd",
                "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + etcdPort, "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPort, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-cluster", "etcd=http://127.0.0.1:" + peerPort, "--enable-v2=true")))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile());
        etcd = pb.start();
        ClusterDirectory.rememberProcess(dir, "etcd", etcd);
    }

    /** Starts (or starts again, after {@link #failover()}) a member's Patroni. */
    public void startMember(Member m) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PATRONI_NAME", m.name());
        env.put("PATRONI_RESTAPI_LISTEN", "127.0.0.1:" + m.restPort());
        env.put("PATRONI_RESTAPI_CONNECT_ADDRESS", "127.0.0.1:" + m.restPort());
        env.put("PATRONI_POSTGRESQL_LISTEN", "127.0.0.1:" + m.port());
        env.put("PATRONI_POSTGRESQL_CONNECT_ADDRESS", "127.0.0.1:" + m.port());
        env.put("PATRONI_POSTGRESQL_DATA_DIR", dir.resolve(m.name()).toString());
        env.put("PATRONI_POSTGRESQL_BIN_DIR", binaries.binDir().toString());
        env.put("PATRONI_POSTGRESQL_PGPASS", dir.resolve(m.name() + ".pgpass").toString());
        env.put("PATRONI_ETCD3_HOSTS", "127.0.0.1:" + etcdPort);
        env.put("PATRONI_SUPERUSER_PASSWORD", credentials.getProperty("password"));
        env.put("PATRONI_REWIND_PASSWORD", credentials.getProperty("password"));
        env.put("PATRONI_REPLICATION_PASSWORD", replicatorPassword);
        ProcessBuilder pb = new ProcessBuilder(user.command(List.of("/usr/bin/patroni",
                dir.resolve("patroni.yml").toString())))
                // Run where the server user may be: Patroni's initdb and pg_basebackup otherwise
                // inherit a working directory it cannot enter (a checkout under a 0700 home).
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(m.name() + ".log").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.put(m.name(), p);
        ClusterDirectory.rememberProcess(dir, m.name(), p);
    }

    /** Every member, in start order. */
    public List<Member> members() {
        return List.copyOf(members);
    }

    /** The member with this name. */
    public Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    /** Roles as Patroni reports them: name to "leader", "sync_standby", "replica" (running members only). */
    public Map<String, String> roles() {
        for (Member m : members) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.restPort() + "/cluster"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                Map<String, String> roles = new HashMap<>();
                Matcher mm = MEMBER.matcher(r.body());
                while (mm.find()) {
                    if (mm.group(3).equals("running") || mm.group(3).equals("streaming")) {
                        roles.put(mm.group(1), mm.group(2));
                    }
                }
                return roles;
            } catch (IOException e) {
                // that member's API is down: ask the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Map.of();
    }

    /** The current leader's name, or null while there is none. */
    public String leader() {
        return roles().entrySet().stream().filter(e -> e.getValue().equals("leader")).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    private Server leaderMember() {
        Member m = member(leader());
        return new Server(m.name(), "127.0.0.1", m.port(), "postgres", dir.resolve(m.name()), dir.resolve(m.name() + ".log"));
    }

    /**
     * Waits until a leader and every other member run as replicas (one of them the synchronous
     * standby, in synchronous mode).
     */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, String> roles = roles();
            if (roles.size() == members.size() && roles.containsValue("leader")
                    && (!synchronousMode || roles.containsValue("sync_standby"))) {
                return;
            }
            sleep(250);
        }
        throw new ClusterStartException("no healthy Patroni cluster within " + timeout.toSeconds() + " s: " + roles()
                + logTails());
    }

    /** Planned switchover away from the current leader; returns when another member leads. */
    public String switchover() {
        String old = leader();
        rest("POST", "/switchover", "{\"leader\":\"" + old + "\"}");
        return awaitNewLeader(old, Duration.ofSeconds(60));
    }

    /**
     * Planned switchover to {@code candidate} (a running replica); returns when it leads. In
     * synchronous mode Patroni accepts only the synchronous standby as candidate; for another one,
     * synchronous mode is off for the switchover and on again after it. Nothing acknowledged can
     * be lost by that: a switchover shuts the old leader down cleanly, and a clean shutdown sends
     * all of its WAL to the connected standbys first.
     */
    public String switchover(String candidate) {
        member(candidate);
        String old = leader();
        if (candidate.equals(old)) {
            throw new IllegalArgumentException(candidate + " already leads");
        }
        boolean synchronous = synchronousMode;
        boolean paused = false;
        try {
            String body = "{\"leader\":\"" + old + "\",\"candidate\":\"" + candidate + "\"}";
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (true) {
                try {
                    rest("POST", "/switchover", body);
                    break;
                } catch (ClusterStartException e) {
                    // 412: not the synchronous standby. Once synchronous mode is off, the leader
                    // still takes up to a loop_wait to apply it, so ask again until it has.
                    if (!synchronous || !e.getMessage().contains("412") || System.nanoTime() > deadline) {
                        throw e;
                    }
                    if (!paused) {
                        setSynchronousMode(false);
                        paused = true;
                    }
                    sleep(200);
                }
            }
            String now = awaitNewLeader(old, Duration.ofSeconds(60));
            if (!now.equals(candidate)) {
                throw new ClusterStartException("switchover to " + candidate + " elected " + now + " instead");
            }
            return now;
        } finally {
            if (paused) {
                setSynchronousMode(true);
            }
        }
    }

    /** SIGKILLs the leader's Patroni and PostgreSQL; returns the old leader once another member leads. */
    public String failover() {
        String old = leader();
        // Patroni detaches its postmaster (it survives a Patroni crash by design): both are killed.
        var postmaster = ClusterDirectory.postmaster(dir.resolve(old).resolve("postmaster.pid"));
        ClusterDirectory.killTree(processes.get(old).toHandle());
        postmaster.ifPresent(ClusterDirectory::killTree);
        awaitNewLeader(old, Duration.ofSeconds(90));
        return old;
    }

    private String awaitNewLeader(String old, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String now = leader();
            if (now != null && !now.equals(old)) {
                return now;
            }
            sleep(100);
        }
        throw new ClusterStartException("no new leader within " + timeout.toSeconds() + " s" + logTails());
    }

    /** Turns Patroni's synchronous_mode on or off. */
    public void setSynchronousMode(boolean on) {
        rest("PATCH", "/config", "{\"synchronous_mode\":" + on + "}");
        synchronousMode = on;
    }

    private void rest(String method, String path, String body) {
        for (Member m : members) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.restPort() + path))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
                throw new ClusterStartException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            } catch (IOException e) {
                // try the next member's API
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterStartException("interrupted", e);
            }
        }
        throw new ClusterStartException("no Patroni REST API answered " + method + " " + path);
    }

    /** The pgrepl URL over every member (no credentials). */
    public String pgreplUrl() {
        StringBuilder sb = new StringBuilder("jdbc:pgrepl://");
        for (int i = 0; i < members.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(members.get(i).hostAndPort());
        }
        return sb.append("/db_patient_health_record").toString();
    }

    /** A new {@code Properties} with the superuser's user and password. */
    public Properties credentials() {
        Properties p = new Properties();
        p.putAll(credentials);
        return p;
    }

    /** Per process: whether it still runs, the errors it logged, and the tail of its log. */
    private String logTails() {
        StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            Process p = processes.get(m.name());
            describe(sb, "patroni " + m.name(), p, dir.resolve(m.name() + ".log"), 8);
        }
        return describe(sb, "etcd", etcd, dir.resolve("etcd.log"), 5).toString();
    }

    private static StringBuilder describe(StringBuilder sb, String name, Process p, Path log, int lines) {
        sb.append("\n--- ").append(name).append(p == null ? " (not started)" : p.isAlive() ? " (running)"
                : " (exited with code " + p.exitValue() + ")").append(", log ").append(log).append(" ---\n");
        String errors = Daemons.errorLines(log);
        if (!errors.isEmpty()) {
            sb.append("errors it logged:\n").append(errors).append("\nlast lines:\n");
        }
        return sb.append(Commands.tail(log, lines));
    }

    /** Kills every member, their PostgreSQL and etcd; deletes the directory. */
    @Override
    public void close() {
        for (Process p : processes.values()) {
            ClusterDirectory.killTree(p.toHandle());
        }
        for (Member m : members) {
            ClusterDirectory.killPostmaster(dir.resolve(m.name()).resolve("postmaster.pid"));
        }
        if (etcd != null) {
            ClusterDirectory.killTree(etcd.toHandle());
        }
        try {
            BundledBinaries.deleteTree(dir);
        } catch (IOException e) {
            System.getLogger(PatroniCluster.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete " + dir + ": " + e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
