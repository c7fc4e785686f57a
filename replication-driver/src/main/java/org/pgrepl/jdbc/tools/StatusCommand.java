package org.pgrepl.jdbc.tools;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.pgrepl.jdbc.config.HostSpec;
import org.pgrepl.jdbc.config.PgReplUrl;
import org.pgrepl.jdbc.metrics.HostSnapshot;
import org.pgrepl.jdbc.monitor.ClusterMonitor;
import org.pgrepl.jdbc.monitor.ClusterState;
import org.pgrepl.jdbc.monitor.HostSnapshots;
import org.pgrepl.jdbc.monitor.HostState;

/**
 * {@code java -jar replication-driver-<version>-all.jar status '<pgrepl URL>'}: one monitor cycle
 * over the cluster, printed as a topology table (host, role, state, lag bytes, lag time).
 * Credentials come from the URL's {@code user}/{@code password} parameters, else from
 * {@code PGUSER}/{@code PGPASSWORD}, as libpq tools take them.
 */
public final class StatusCommand {
    private StatusCommand() {
    }

    /** Runs the command; returns the process exit code (0: a writable primary was found). */
    public static int run(String url, PrintStream out, PrintStream err) {
        Properties info = new Properties();
        if (System.getenv("PGUSER") != null) {
            info.setProperty("user", System.getenv("PGUSER"));
        }
        if (System.getenv("PGPASSWORD") != null) {
            info.setProperty("password", System.getenv("PGPASSWORD"));
        }
        PgReplUrl parsed;
        try {
            parsed = PgReplUrl.parse(url, info);
        } catch (SQLException e) {
            err.println("status: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")");
            return 2;
        }
        List<HostSpec> hosts = parsed.hosts();
        Properties props = parsed.pgjdbcProperties();
        props.setProperty("ApplicationName", "pgrepl-status");
        props.putIfAbsent("connectTimeout", "5");
        org.postgresql.Driver pgjdbc = new org.postgresql.Driver();
        try (ClusterMonitor monitor = new ClusterMonitor("status", hosts.size(),
                i -> pgjdbc.connect(parsed.pgjdbcUrl(hosts.get(i)), props), Duration.ofMillis(500))) {
            ClusterState state = monitor.awaitFreshState(Duration.ofSeconds(15));
            print(hosts, state, out);
            return state.writable() >= 0 ? 0 : 1;
        }
    }

    static void print(List<HostSpec> hosts, ClusterState state, PrintStream out) {
        // The same host figures the metrics API gives (PgReplMetrics), from this command's own monitor.
        List<HostSnapshot> snapshots = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            HostState h = state.host(i);
            snapshots.add(HostSnapshots.of(hosts.get(i), h, i != state.writable() && h.isUsableReplica(), 0));
        }
        String format = "%-28s %-8s %-10s %12s %10s%n";
        out.printf(format, "host", "role", "state", "lag bytes", "lag time");
        for (int i = 0; i < snapshots.size(); i++) {
            HostSnapshot h = snapshots.get(i);
            String role = switch (h.role()) {
                case "PRIMARY" -> i == state.writable() ? "primary" : "primary?";
                case "REPLICA" -> "replica";
                default -> "-";
            };
            String st = switch (h.role()) {
                case "PRIMARY" -> "up";
                case "REPLICA" -> h.streaming() ? "streaming" : "up";
                default -> h.role().toLowerCase(java.util.Locale.ROOT);
            };
            out.printf(format, h.address(), role, st,
                    h.lagBytes() < 0 ? "-" : Long.toString(h.lagBytes()),
                    Double.isNaN(h.lagSeconds()) ? "-" : Math.round(h.lagSeconds() * 1000) + " ms");
        }
        if (state.writable() < 0) {
            out.println("no writable primary found");
        }
    }
}
