package org.pgrepl.jdbc.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;
import org.pgrepl.infra.TcpRelay;

/**
 * The monitor's life (issue 14, item 7): one per key including connection settings, the latest
 * credentials, and nothing left behind (sessions, JMX beans, cluster entries) after the last
 * connection of a cluster closes, while the {@code process} read floor survives.
 */
class MonitorLifecycleIT {
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static EmbeddedCluster cluster;
    private static Server replica;
    private final List<Connection> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().replicas(1).start();
        replica = cluster.replicas().get(0);
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE lifecycle_rows (id int PRIMARY KEY)");
            s.execute("CREATE ROLE lifecycle_reader LOGIN PASSWORD 'reader-pw'");
            s.execute("GRANT SELECT ON lifecycle_rows TO lifecycle_reader");
            s.execute("CREATE ROLE lifecycle_rotated LOGIN PASSWORD 'first-pw'");
        }
        cluster.awaitReplication();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void noMonitorOfThisClusterRuns() {
        // Earlier tests' monitors stop within two intervals of their last connection closing.
        await().atMost(SETTLE).until(() -> beans().isEmpty());
    }

    @AfterEach
    void closeConnections() throws SQLException {
        for (Connection c : open) {
            c.close();
        }
    }

    private Connection connect(String params, String user, String password) throws SQLException {
        return connect(cluster.pgreplUrl(), params, user, password);
    }

    private Connection connect(String url, String params, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        Connection c = DriverManager.getConnection(url + "?" + params, p);
        open.add(c);
        return c;
    }

    /** The JMX beans of this test class's cluster (its ports are its own). */
    private static Set<ObjectName> beans() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        String primary = ":" + cluster.primary().port();
        String relayed = ":" + cluster.relay(cluster.primary()).port();
        return mbs.queryNames(new ObjectName("org.pgrepl:type=Cluster,*"), null).stream()
                .filter(n -> n.getKeyProperty("name").contains(primary) || n.getKeyProperty("name").contains(relayed))
                .collect(Collectors.toSet());
    }

    private static boolean readsFromReplica(Connection c) throws SQLException {
        c.setReadOnly(true);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static int monitorSessions(Server server, String condition) throws SQLException {
        try (Connection c = cluster.connect(server); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgrepl-monitor'"
                     + " AND " + condition)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void everyConnectionSettingThatChangesHowItConnectsGetsItsOwnMonitor() throws Exception {
        String user = cluster.user();
        String pw = cluster.password();
        assertThat(readsFromReplica(connect("monitorInterval=200ms", user, pw))).isTrue();
        assertThat(readsFromReplica(connect("monitorInterval=300ms", user, pw))).isTrue();
        assertThat(readsFromReplica(connect("monitorInterval=200ms&sslmode=disable", user, pw))).isTrue();
        assertThat(readsFromReplica(connect("monitorInterval=200ms&connectTimeout=7", user, pw))).isTrue();
        // Settings of the session's work, not of how it connects, share the monitor.
        assertThat(readsFromReplica(connect("monitorInterval=200ms&ApplicationName=other&readFallback=fail", user, pw)))
                .isTrue();

        assertThat(beans()).hasSize(4);
        Set<String> settings = beans().stream().map(n -> ObjectName.unquote(n.getKeyProperty("settings")))
                .collect(Collectors.toSet());
        assertThat(settings).containsExactlyInAnyOrder("monitorInterval=200ms", "monitorInterval=300ms",
                "monitorInterval=200ms&sslmode=disable", "connectTimeout=7&monitorInterval=200ms");
        assertThat(settings).noneMatch(s -> s.contains(pw));
        // One monitor session per host and monitor, no more.
        await().atMost(SETTLE).until(() -> monitorSessions(replica, "usename = '" + user + "'") == 4);
    }

    @Test
    void aStoppedMonitorLeavesNoSessionNoBeanAndItsSuccessorStartsFresh() throws Exception {
        List<String> databases = List.of("lifecycle_a", "lifecycle_b", "lifecycle_c");
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            for (String db : databases) {
                s.execute("CREATE DATABASE " + db);
            }
        }
        cluster.awaitReplication();
        String hosts = cluster.pgreplUrl().substring(0, cluster.pgreplUrl().lastIndexOf('/') + 1);
        for (String db : databases) {
            try (Connection c = DriverManager.getConnection(hosts + db + "?monitorInterval=200ms", cluster.credentials())) {
                assertThat(readsFromReplica(c)).isTrue();
            }
        }
        // Within two intervals of the last close (checked with a wide margin): no bean, no session.
        await().atMost(SETTLE).until(() -> beans().isEmpty());
        for (Server server : cluster.servers()) {
            await().atMost(SETTLE).until(() -> monitorSessions(server, "datname LIKE 'lifecycle_%'") == 0);
        }
        // Nor any thread at its work: the pooled threads it ran on are back to idle (named so).
        await().atMost(SETTLE).until(() -> Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .noneMatch(n -> n.startsWith("pgrepl-monitor") && n.contains("lifecycle_")));

        // A new connection gets a fresh cluster and bean; the counters go on from where they were
        // (kept per cluster name for the JVM's life, so a counter never goes back).
        try (Connection c = DriverManager.getConnection(hosts + databases.get(0) + "?monitorInterval=200ms",
                cluster.credentials())) {
            assertThat(readsFromReplica(c)).isTrue();
            Set<ObjectName> now = beans();
            assertThat(now).hasSize(1);
            Object routes = ManagementFactory.getPlatformMBeanServer().getAttribute(now.iterator().next(),
                    "ReplicaRoutes");
            assertThat(routes).isEqualTo(2L);
        }
    }

    @Test
    void theProcessFloorOutlivesTheMonitorAndIsSharedAcrossUsers() throws Exception {
        cluster.pauseReplay(replica);
        try {
            try (Connection writer = DriverManager.getConnection(cluster.pgreplUrl()
                    + "?monitorInterval=200ms&readConsistency=process", cluster.credentials());
                 Statement s = writer.createStatement()) {
                s.execute("INSERT INTO lifecycle_rows VALUES (1)");
            }
            // The writer's monitor stops (its sessions go).
            for (Server server : cluster.servers()) {
                await().atMost(SETTLE).until(() -> monitorSessions(server, "usename = '" + cluster.user() + "'") == 0);
            }
            // Another user, other settings, a new monitor: the read still waits for the write
            // (here the replica never gets it, so the read falls back to the primary).
            Connection reader = connect("monitorInterval=300ms&readConsistency=process&readYourWritesTimeout=300ms",
                    "lifecycle_reader", "reader-pw");
            reader.setReadOnly(true);
            try (Statement s = reader.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM lifecycle_rows WHERE id = 1")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        } finally {
            cluster.resumeReplay(replica);
        }
    }

    @Test
    void theMonitorLogsInWithTheLatestConnectionsPassword() throws Exception {
        String params = "monitorInterval=200ms&maxReplicaLag=30s";
        Connection first = connect(params, "lifecycle_rotated", "first-pw");
        await().atMost(SETTLE).until(() -> readsFromReplica(first));

        try (Connection admin = cluster.connect(cluster.primary()); Statement s = admin.createStatement()) {
            s.execute("ALTER ROLE lifecycle_rotated PASSWORD 'second-pw'");
        }
        cluster.awaitReplication();
        // The monitor's sessions go; its next login with the first password fails, so it knows no
        // replica and a lag-bounded read cannot use one.
        for (Server server : cluster.servers()) {
            try (Connection c = cluster.connect(server); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = 'pgrepl-monitor' AND usename = 'lifecycle_rotated'");
            }
        }
        ObjectName bean = beans().iterator().next();
        await().atMost(SETTLE).until(() -> "UNKNOWN".equals(((String[]) ManagementFactory.getPlatformMBeanServer()
                .getAttribute(bean, "Roles"))[1]));

        // A connection opened with the new password: the monitor's next login uses it.
        connect(params, "lifecycle_rotated", "second-pw");
        await().atMost(SETTLE).until(() -> {
            try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?" + params, "lifecycle_rotated",
                    "second-pw")) {
                return readsFromReplica(c);
            }
        });
        assertThat(first.isClosed()).isFalse();
    }

    @Test
    void aSessionAProbeWasStillOpeningWhenTheMonitorStoppedIsClosed() throws Exception {
        TcpRelay relay = cluster.relay(replica);
        await().atMost(SETTLE).until(() -> monitorSessions(replica, "true") == 0);
        int before = MonitorRegistry.running();
        relay.stall();
        try {
            try (Connection c = DriverManager.getConnection(cluster.pgreplUrlThroughRelays() + "?monitorInterval=200ms",
                    cluster.credentials())) {
                // The monitor's login to the replica hangs in the stalled relay. Its thread registers
                // the bean as it starts, just after this connect (no statement has run to wait for it).
                ObjectName bean = await().atMost(SETTLE).until(MonitorLifecycleIT::beans, b -> !b.isEmpty())
                        .iterator().next();
                await().atMost(SETTLE).until(() -> "STALLED".equals(((String[]) ManagementFactory
                        .getPlatformMBeanServer().getAttribute(bean, "Roles"))[1]));
                assertThat(c.isClosed()).isFalse();
            }
            await().atMost(SETTLE).until(() -> MonitorRegistry.running() <= before);
        } finally {
            relay.heal();
        }
        // The stalled login may now complete: the stopped monitor must not keep the session.
        await().pollDelay(Duration.ofSeconds(1)).atMost(SETTLE).until(() -> monitorSessions(replica, "true") == 0);
        Thread.sleep(1_000);
        assertThat(monitorSessions(replica, "true")).isZero();
    }
}
