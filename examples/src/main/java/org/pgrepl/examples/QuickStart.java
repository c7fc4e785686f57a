package org.pgrepl.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.jdbc.config.HostSpec;
import org.pgrepl.jdbc.config.PgReplUrl;

/**
 * The README's quick start: starts an embedded primary and replica (or uses the pgrepl URL given
 * with {@code -Dpgrepl.url}, credentials from PGREPL_USER / PGREPL_PASSWORD), migrates the schema
 * with Flyway, registers patients through the DAO, reads them back, and shows which server served
 * each call, the replication status and delay, and a write refused on the read-only route.
 */
public final class QuickStart {
    /** Held, since java.util.logging keeps loggers only weakly and would forget the level. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("org.pgrepl");

    private QuickStart() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        // This program prints its own progress; the libraries' INFO lines would interleave with it.
        QUIET.setLevel(java.util.logging.Level.WARNING);
        String given = System.getProperty("pgrepl.url", "");
        System.out.println("pgrepl quick start");
        if (!given.isBlank()) {
            Properties credentials = new Properties();
            credentials.setProperty("user", System.getenv().getOrDefault("PGREPL_USER", "admin"));
            credentials.setProperty("password", System.getenv().getOrDefault("PGREPL_PASSWORD", ""));
            run(given, credentials);
            return;
        }
        step(1, "Starting an embedded primary and a streaming replica (the first run may unpack the"
                + " PostgreSQL binaries from Maven Central) ...");
        long t0 = System.nanoTime();
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(1).start()) {
            System.out.printf("      up in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, cluster.binariesDescription());
            System.out.printf("      primary %s, replica %s%n", cluster.primary().hostAndPort(),
                    cluster.replicas().get(0).hostAndPort());
            run(cluster.pgreplUrl(), cluster.credentials());
            System.out.println("Stopping the embedded servers ...");
        }
        System.out.println("Done.");
    }

    static void run(String url, Properties credentials) throws Exception {
        Map<String, String> roles = roles(url, credentials);
        System.out.println("      URL: " + url);
        step(2, "Migrating the schema with Flyway through the pgrepl URL (it runs on the primary) ...");
        List<DaoExample.Call> calls = DaoExample.run(url, credentials, DaoExample.samplePatients());
        System.out.println("      schema is at the latest migration");
        step(3, "Registered 3 patients and read them back through PatientDao; where each call ran:");
        String format = "      %-9s %-6s %-22s %s%n";
        System.out.printf(format, "call", "kind", "server", "role");
        for (DaoExample.Call c : calls) {
            System.out.printf(format, c.call(), c.kind(), c.host(), roles.getOrDefault(c.host(), "?"));
        }
        try (Connection c = DriverManager.getConnection(url, credentials)) {
            step(4, "Replication status on the primary (pg_stat_replication):");
            printQuery(c, "SELECT application_name, client_addr, state, sent_lsn, write_lsn, flush_lsn, replay_lsn,"
                    + " sync_state FROM pg_stat_replication ORDER BY application_name");
            c.setReadOnly(true);
            step(5, "Replication delay on the replica serving reads:");
            printQuery(c, "SELECT inet_server_port() AS port, pg_is_in_recovery() AS in_recovery,"
                    // 0 when everything received is replayed: the last replayed commit's age alone
                    // would grow on an idle primary although the replica is not behind.
                    + " CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN interval '0'"
                    + " ELSE now() - pg_last_xact_replay_timestamp() END AS replication_delay,"
                    + " pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AS caught_up");
            step(6, "A write on the read-only route is refused:");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM PatientRegister");
                System.out.println("      !! the write was accepted, which must not happen");
                System.exit(1);
            } catch (SQLException e) {
                System.out.println("      SQLState " + e.getSQLState() + ": " + e.getMessage());
            }
        }
    }

    private static Map<String, String> roles(String url, Properties credentials) throws SQLException {
        PgReplUrl parsed = PgReplUrl.parse(url, credentials);
        Map<String, String> roles = new HashMap<>();
        for (HostSpec h : parsed.hosts()) {
            try (Connection c = DriverManager.getConnection(parsed.pgjdbcUrl(h), parsed.pgjdbcProperties())) {
                roles.put(h.toString(), Served.by(c).role());
            } catch (SQLException e) {
                roles.put(h.toString(), "unreachable");
            }
        }
        return roles;
    }

    private static void printQuery(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            StringBuilder header = new StringBuilder("      ");
            for (int i = 1; i <= n; i++) {
                header.append(String.format("%-18s", rs.getMetaData().getColumnLabel(i)));
            }
            System.out.println(header.toString().stripTrailing());
            boolean any = false;
            while (rs.next()) {
                any = true;
                StringBuilder row = new StringBuilder("      ");
                for (int i = 1; i <= n; i++) {
                    row.append(String.format("%-18s", rs.getString(i)));
                }
                System.out.println(row.toString().stripTrailing());
            }
            if (!any) {
                System.out.println("      (no rows)");
            }
        }
    }

    private static void step(int n, String text) {
        System.out.println("[" + n + "/6] " + text);
    }
}
