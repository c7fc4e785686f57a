package org.pgrepl.jdbc.model;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/**
 * What the servers hold, read directly with plain pgjdbc (never through pgrepl): the rows of a
 * try, the server sessions of an application name, and the faults that act on sessions.
 */
final class Oracle implements AutoCloseable {
    static final String APP_NAME = "pgrepl-model-oracle";
    private final EmbeddedCluster cluster;
    private final Map<Server, Connection> admin = new ConcurrentHashMap<>();

    Oracle(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    /** One server session, as {@code pg_stat_activity} shows it. */
    record Session(Server server, int pid, String appName, String state, String query) {
        @Override
        public String toString() {
            return server.name() + " pid " + pid + " '" + appName + "' " + state + " [" + abbreviate(query) + "]";
        }

        private static String abbreviate(String q) {
            return q == null ? "" : q.length() > 60 ? q.substring(0, 60) + "..." : q;
        }
    }

    /** One admin query; a connection lost in between (a restarted or stopped server) is opened again once. */
    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(Server s, Query<T> q) throws SQLException {
        try {
            return q.run(admin(s));
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("08")) {
                throw e;
            }
            admin.remove(s);
            return q.run(admin(s));
        }
    }

    private synchronized Connection admin(Server s) throws SQLException {
        Connection c = admin.get(s);
        if (c != null && !c.isClosed()) {
            return c;
        }
        Properties p = cluster.credentials();
        p.setProperty("ApplicationName", APP_NAME);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "20");
        c = DriverManager.getConnection(s.jdbcUrl(), p);
        admin.put(s, c);
        return c;
    }

    /** The servers whose postmaster runs. */
    List<Server> running() {
        return cluster.servers().stream().filter(cluster::isRunning).toList();
    }

    /** The try's rows on the current primary: id to version. */
    Map<String, Integer> rowsOnPrimary(String tryId) throws SQLException {
        return rows(cluster.primary(), tryId);
    }

    /** The try's rows on every running server out of recovery (after a promotion there may be two). */
    Map<String, Integer> rowsOnWritableServers(String tryId) throws SQLException {
        Map<String, Integer> all = new HashMap<>(rowsOnPrimary(tryId));
        for (Server s : running()) {
            if (s != cluster.primary() && !inRecovery(s)) {
                all.putAll(rows(s, tryId));
            }
        }
        return all;
    }

    Map<String, Integer> rows(Server s, String tryId) throws SQLException {
        return query(s, c -> {
            Map<String, Integer> rows = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, v FROM public.model_rows WHERE try_id = ?")) {
                ps.setString(1, tryId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            return rows;
        });
    }

    boolean inRecovery(Server s) throws SQLException {
        return query(s, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_is_in_recovery()"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }

    /** A row written by someone else than the connection under test (for monotonic reads). */
    void insertExternal(String id, String tryId) throws SQLException {
        query(cluster.primary(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.model_rows (id, try_id, v) VALUES (?, ?, 0)")) {
                ps.setString(1, id);
                ps.setString(2, tryId);
                return ps.executeUpdate();
            }
        });
    }

    /** Every session on every running server whose application name starts with {@code prefix}. */
    List<Session> sessions(String prefix) throws SQLException {
        List<Session> all = new ArrayList<>();
        for (Server s : running()) {
            all.addAll(query(s, c -> {
                List<Session> found = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT pid, application_name, state, query"
                        + " FROM pg_stat_activity WHERE application_name LIKE ? AND pid <> pg_backend_pid()")) {
                    ps.setString(1, prefix.replace("_", "\\_").replace("%", "\\%") + "%");
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.add(new Session(s, rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                        }
                    }
                }
                return found;
            }));
        }
        return all;
    }

    /** Sessions of exactly this application name. */
    List<Session> sessionsOf(String appName) throws SQLException {
        return sessions(appName).stream().filter(s -> s.appName().equals(appName)).toList();
    }

    /** The state of one backend ({@code idle}, {@code idle in transaction}, ...), null when it is gone. */
    String backendState(Server s, int pid) throws SQLException {
        return query(s, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM pg_stat_activity WHERE pid = ?")) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /** Terminates every session of this application name on one server; returns how many. */
    int terminate(Server s, String appName) throws SQLException {
        return query(s, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = ? AND pid <> pg_backend_pid()")) {
                ps.setString(1, appName);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /**
     * Waits up to {@code millis} for the sessions of an application name to be gone (backends
     * exit asynchronously after a close); returns those still there.
     */
    List<Session> awaitNoSessions(String appName, long millis) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        List<Session> left = sessionsOf(appName);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = sessionsOf(appName);
        }
        return left;
    }

    @Override
    public void close() {
        admin.values().forEach(c -> {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the server may be stopped already
            }
        });
        admin.clear();
    }
}
