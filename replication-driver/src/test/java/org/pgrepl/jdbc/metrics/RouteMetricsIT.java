package org.pgrepl.jdbc.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;

/**
 * The public metrics API under known load against the embedded cluster: route counters move by
 * exactly the statements run, on the right target and for the right reason (pool validation
 * does not count); read-your-writes outcomes; host roles, lag and open connections; no
 * credentials in any name. Counters are cumulative per JVM, so each test measures deltas.
 */
@ExtendWith(PgClusterExtension.class)
class RouteMetricsIT {
    private static EmbeddedCluster cluster;
    private static String name;
    /** Held open for the whole class, as an application's pool would: the cluster's monitor runs. */
    private static Connection held;

    @BeforeAll
    static void setUp(EmbeddedCluster c) throws SQLException {
        cluster = c;
        name = String.join(",", c.servers().stream().map(Server::hostAndPort).sorted().toList()) + "/" + c.database();
        try (Connection conn = c.connect(c.primary()); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS metrics_rows (id serial PRIMARY KEY, n int)");
        }
        c.awaitReplication();
        held = DriverManager.getConnection(c.pgreplUrl(), c.credentials());
    }

    @AfterAll
    static void tearDown() throws SQLException {
        held.close();
    }

    private static ClusterSnapshot snapshot() {
        return PgReplMetrics.clusters().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no running cluster " + name + " in " + PgReplMetrics.clusters()));
    }

    /** Every (target, reason) counter now. */
    private static Map<RouteTarget, long[]> counts() {
        ClusterSnapshot s = snapshot();
        Map<RouteTarget, long[]> m = new EnumMap<>(RouteTarget.class);
        for (RouteTarget t : RouteTarget.values()) {
            long[] a = new long[RouteReason.values().length];
            for (RouteReason r : RouteReason.values()) {
                a[r.ordinal()] = s.routes(t, r);
            }
            m.put(t, a);
        }
        return m;
    }

    /** How far each counter moved since {@code before}; only non-zero moves are listed. */
    private static Map<String, Long> moved(Map<RouteTarget, long[]> before) {
        Map<RouteTarget, long[]> after = counts();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (RouteTarget t : RouteTarget.values()) {
            for (RouteReason r : RouteReason.values()) {
                long d = after.get(t)[r.ordinal()] - before.get(t)[r.ordinal()];
                if (d != 0) {
                    out.put(t + "/" + r, d);
                }
            }
        }
        return out;
    }

    private static Connection open(String params) throws SQLException {
        return DriverManager.getConnection(cluster.pgreplUrl() + params, cluster.credentials());
    }

    @Test
    void aThousandReadOnlyBorrowsCountAThousandReplicaRoutesAndNothingElse() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.pgreplUrl() + "?ApplicationName=metrics-ro");
        config.setUsername(cluster.user());
        config.setPassword(cluster.password());
        config.setReadOnly(true);
        config.setMaximumPoolSize(4);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            try (Connection warm = ds.getConnection()) {
                warm.isValid(1); // the pool's own checks and a warm-up borrow: none of them counts
            }
            Map<RouteTarget, long[]> before = counts();
            for (int i = 0; i < 1000; i++) {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
            }
            assertThat(moved(before)).containsExactly(Map.entry("REPLICA/READ_ONLY", 1000L));
            // While the pool is open its physical connections show per host: replicas only.
            List<HostSnapshot> hosts = snapshot().hosts();
            int onReplicas = hosts.stream().filter(h -> h.role().equals("REPLICA")).mapToInt(HostSnapshot::openConnections).sum();
            assertThat(onReplicas).isBetween(1, 4);
        }
    }

    @Test
    void writesCountOnThePrimaryAndTransactionsPinTheirFollowingStatements() throws SQLException {
        Map<RouteTarget, long[]> before = counts();
        try (Connection c = open("")) {
            for (int i = 0; i < 100; i++) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO metrics_rows (n) VALUES (" + i + ")");
                }
            }
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < 3; i++) {
                    s.executeQuery("SELECT count(*) FROM metrics_rows").close();
                }
            }
            c.commit();
        }
        assertThat(moved(before)).containsExactly(Map.entry("PRIMARY/WRITE", 100L),
                Map.entry("REPLICA/READ_ONLY", 1L), Map.entry("REPLICA/TRANSACTION_PINNED", 2L));
    }

    @Test
    void aSerializableReadRunsOnThePrimaryForThatReason() throws SQLException {
        Map<RouteTarget, long[]> before = counts();
        try (Connection c = open("")) {
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1").close();
            }
        }
        assertThat(moved(before)).containsExactly(Map.entry("PRIMARY/SERIALIZABLE", 1L));
    }

    @Test
    void readYourWritesOutcomesAndLagExclusionsWhileReplayIsPaused() throws Exception {
        ClusterSnapshot s = snapshot();
        long caughtUp = s.readYourWritesWaits(ReadYourWritesOutcome.CAUGHT_UP);
        long fellBack = s.readYourWritesWaits(ReadYourWritesOutcome.FELL_BACK);
        long timedOut = s.readYourWritesWaits(ReadYourWritesOutcome.TIMED_OUT);
        // A write then a read, replay running: the wait (if one is needed at all) catches up.
        try (Connection c = open("?readConsistency=session&readYourWritesTimeout=5s")) {
            write(c);
            read(c);
        }
        assertThat(s.readYourWritesWaits(ReadYourWritesOutcome.FELL_BACK)).isEqualTo(fellBack);
        assertThat(s.readYourWritesWaits(ReadYourWritesOutcome.CAUGHT_UP)).isGreaterThanOrEqualTo(caughtUp);
        for (Server r : cluster.replicas()) {
            cluster.pauseReplay(r);
        }
        try {
            Map<RouteTarget, long[]> before = counts();
            try (Connection c = open("?readConsistency=session&readYourWritesTimeout=200ms")) {
                write(c);
                read(c);
            }
            assertThat(moved(before)).containsExactly(Map.entry("PRIMARY/READ_YOUR_WRITES_TIMEOUT", 1L),
                    Map.entry("PRIMARY/WRITE", 1L));
            assertThat(s.readYourWritesWaits(ReadYourWritesOutcome.FELL_BACK)).isEqualTo(fellBack + 1);
            assertThat(s.readYourWritesWaitSeconds(ReadYourWritesOutcome.FELL_BACK)).isGreaterThanOrEqualTo(0.2);
            try (Connection c = open("?readConsistency=session&readYourWritesTimeout=200ms&readFallback=fail")) {
                write(c);
                assertThatThrownBy(() -> read(c)).isInstanceOf(SQLException.class);
            }
            assertThat(s.readYourWritesWaits(ReadYourWritesOutcome.TIMED_OUT)).isEqualTo(timedOut + 1);
            // Replicas behind a byte bound: the monitor sees the lag, reads fall back for that reason.
            try (Connection c = open("?monitorInterval=200ms")) {
                write(c);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> snapshot().hosts().stream()
                        .filter(h -> h.role().equals("REPLICA")).allMatch(h -> h.lagBytes() > 0));
            }
            List<HostSnapshot> lagging = snapshot().hosts();
            assertThat(lagging).filteredOn(h -> h.role().equals("REPLICA")).allMatch(h -> h.lagBytes() > 0);
            before = counts();
            try (Connection c = open("?maxReplicaLagBytes=1")) {
                read(c);
            }
            assertThat(moved(before)).containsExactly(Map.entry("PRIMARY/LAG_EXCLUSION", 1L));
        } finally {
            for (Server r : cluster.replicas()) {
                cluster.resumeReplay(r);
            }
        }
        cluster.awaitReplication();
    }

    @Test
    void hostsShowRolesAndTheNameCarriesNoCredentials() throws SQLException {
        Properties p = cluster.credentials();
        try (Connection c = open("")) {
            c.setReadOnly(true);
            read(c);
            ClusterSnapshot s = snapshot();
            assertThat(s.name()).doesNotContain(cluster.user()).doesNotContain(cluster.password());
            assertThat(s.writablePrimarySeen()).isTrue();
            assertThat(s.writableHost()).isEqualTo(cluster.primary().hostAndPort());
            assertThat(s.monitorCycles()).isPositive();
            HostSnapshot primary = s.hosts().get(0);
            assertThat(primary.address()).isEqualTo(cluster.primary().hostAndPort());
            assertThat(primary.role()).isEqualTo("PRIMARY");
            assertThat(primary.eligible()).isFalse();
            assertThat(s.hosts()).filteredOn(h -> h.role().equals("REPLICA")).hasSize(cluster.replicas().size())
                    .allMatch(HostSnapshot::eligible).allMatch(h -> h.lagBytes() >= 0 && !Double.isNaN(h.lagSeconds()));
            assertThat(s.hosts().stream().mapToInt(HostSnapshot::openConnections).sum()).isGreaterThanOrEqualTo(1);
            assertThat(s.toString()).doesNotContain(p.getProperty("password"));
        }
    }

    private static void write(Connection c) throws SQLException {
        c.setReadOnly(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO metrics_rows (n) VALUES (1)");
        }
    }

    private static void read(Connection c) throws SQLException {
        c.setReadOnly(true);
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT count(*) FROM metrics_rows").close();
        }
    }
}
