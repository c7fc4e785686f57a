package org.pgrepl.jdbc.failure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/**
 * Looks at the servers directly, with plain pgjdbc (never through pgrepl): sessions of an
 * application name, and real faults made with {@code pg_terminate_backend}.
 */
public final class Admin {
    private final EmbeddedCluster cluster;

    public Admin(EmbeddedCluster cluster) {
        this.cluster = cluster;
    }

    /** A fresh application name, so a test finds exactly its own sessions. */
    public static String appName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Terminates the sessions of {@code app} on {@code server}; how many there were. */
    public int terminate(Server server, String app) throws SQLException {
        try (Connection c = cluster.connect(server);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Sessions of {@code app} on {@code server} now. */
    public int sessions(Server server, String app) throws SQLException {
        try (Connection c = cluster.connect(server);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Sessions of {@code app} on every server, polled until none is left or about 5 s passed (backends exit asynchronously). */
    public int sessionsLeft(String app) throws SQLException, InterruptedException {
        int left = 0;
        for (int i = 0; i < 50; i++) {
            left = 0;
            for (Server s : cluster.servers()) {
                if (cluster.isRunning(s)) {
                    left += sessions(s, app);
                }
            }
            if (left == 0) {
                return 0;
            }
            Thread.sleep(100);
        }
        return left;
    }

    /** Rows of {@code table} on the primary whose {@code tag} column equals {@code tag}. */
    public int rowsOnPrimary(String table, String tag) throws SQLException {
        try (Connection c = cluster.connect(cluster.primary());
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE tag = ?")) {
            ps.setString(1, tag);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
