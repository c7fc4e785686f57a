package org.pgrepl.jdbc.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/** The monitor against real faults: paused replay, a stopped replica, a stalled network, a promotion. */
class ClusterMonitorIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().replicas(2).start();
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE monitor_rows (id serial PRIMARY KEY, pad text)");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private ClusterMonitor monitor(List<String> hostPorts) {
        return new ClusterMonitor("test", hostPorts.size(), i -> DriverManager.getConnection(
                "jdbc:postgresql://" + hostPorts.get(i) + "/" + cluster.database(), cluster.credentials()),
                Duration.ofMillis(200));
    }

    private List<String> direct() {
        return cluster.servers().stream().map(Server::hostAndPort).toList();
    }

    @Test
    void seesRolesAndLagAndRecovery() throws Exception {
        Server paused = cluster.server("replica1");
        try (ClusterMonitor m = monitor(direct())) {
            ClusterState s = m.awaitFreshState(Duration.ofSeconds(10));
            assertThat(s.writable()).isZero();
            assertThat(s.host(1).role()).isEqualTo(HostState.Role.REPLICA);
            assertThat(s.host(2).role()).isEqualTo(HostState.Role.REPLICA);
            assertThat(s.host(1).streaming()).isTrue();
            assertThat(s.systemIdentifier()).isNotZero();
            assertThat(s.timeline()).isEqualTo(1);
            // An idle cluster has no lag, however old the last commit.
            await().atMost(Duration.ofSeconds(10)).until(() -> m.state().host(1).lagMillis() == 0
                    && m.state().host(1).lagBytes() == 0);

            cluster.pauseReplay(paused);
            try {
                for (int i = 0; i < 20; i++) {
                    write(200);
                    Thread.sleep(50);
                }
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    HostState h = m.state().host(1);
                    assertThat(h.lagBytes()).isGreaterThan(10_000);
                    assertThat(h.lagMillis()).isGreaterThan(0);
                    assertThat(h.withinLag(null, 1_000L)).isFalse();
                });
                cluster.awaitReplication(cluster.server("replica2"));
                await().atMost(Duration.ofSeconds(10)).until(() -> m.state().host(2).lagBytes() == 0);
            } finally {
                cluster.resumeReplay(paused);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> m.state().host(1).lagBytes() == 0
                    && m.state().host(1).withinLag(0L, 0L));
        }
    }

    @Test
    void marksAStoppedHostDownAndAStalledOneStalled() throws Exception {
        Server replica = cluster.server("replica2");
        List<String> hosts = List.of(cluster.primary().hostAndPort(), cluster.server("replica1").hostAndPort(),
                cluster.relay(replica).hostAndPort());
        try (ClusterMonitor m = monitor(hosts)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> m.state().host(2).role() == HostState.Role.REPLICA);
            cluster.relay(replica).stall();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> m.state().host(2).role() == HostState.Role.STALLED);
                // The stall of one host does not hold up the others.
                long cycle = m.state().cycle();
                await().atMost(Duration.ofSeconds(10)).until(() -> m.state().cycle() > cycle + 2);
                assertThat(m.state().host(0).role()).isEqualTo(HostState.Role.PRIMARY);
            } finally {
                cluster.relay(replica).heal();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().host(2).role() == HostState.Role.REPLICA);
            cluster.stop(replica);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> m.state().host(2).role() == HostState.Role.DOWN);
                assertThat(m.state().host(2).problem()).doesNotContain(cluster.password());
            } finally {
                cluster.start(replica);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> m.state().host(2).role() == HostState.Role.REPLICA);
        }
    }

    @Test
    void sharedMonitorsStopAfterTheirLastLease() throws Exception {
        int before = MonitorRegistry.running();
        MonitorRegistry.Lease a = MonitorRegistry.acquire("k", () -> monitor(direct()));
        MonitorRegistry.Lease b = MonitorRegistry.acquire("k", () -> {
            throw new AssertionError("second lease must share the first monitor");
        });
        assertThat(a.monitor()).isSameAs(b.monitor());
        assertThat(MonitorRegistry.running()).isEqualTo(before + 1);
        a.close();
        b.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> MonitorRegistry.running() == before);
    }

    private static void write(int rows) throws Exception {
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO monitor_rows (pad) SELECT repeat('x', 100) FROM generate_series(1, " + rows + ")");
        }
    }

    /**
     * Issue 18, cold start: a new monitor's first routing wait ends with its first probe of every
     * host, not with a second cycle an interval later (the interval here is a minute).
     */
    @Test
    void theFirstWaitEndsWithTheFirstProbeNotASecondCycle() {
        List<String> hosts = direct();
        try (ClusterMonitor m = new ClusterMonitor("first-probe", hosts.size(), i -> DriverManager.getConnection(
                "jdbc:postgresql://" + hosts.get(i) + "/" + cluster.database(), cluster.credentials()),
                Duration.ofMinutes(1))) {
            ClusterState s = m.awaitFirstProbe(Duration.ofSeconds(30));
            assertThat(m.probed()).isTrue();
            assertThat(s.cycle()).isEqualTo(1);
            assertThat(s.writable()).isZero();
            assertThat(s.host(1).role()).isEqualTo(HostState.Role.REPLICA);
        }
    }

    /**
     * Issue 18, cold start: a monitor seeded with its predecessor's last state answers with those
     * roles before its own first probe has logged in anywhere, then replaces them with what the
     * probe sees.
     */
    @Test
    void aSeededMonitorServesItsPredecessorsRolesUntilItsFirstProbe() throws Exception {
        List<String> hosts = direct();
        ClusterState last = lastStateOfAPredecessor(hosts);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        try (ClusterMonitor m = new ClusterMonitor("seeded", hosts.size(), i -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return DriverManager.getConnection("jdbc:postgresql://" + hosts.get(i) + "/" + cluster.database(),
                    cluster.credentials());
        }, Duration.ofMillis(200), new ClusterStats(), last)) {
            ClusterState seeded = m.state();
            assertThat(m.probed()).isFalse();
            assertThat(seeded.cycle()).isEqualTo(1);
            assertThat(seeded.writable()).isZero();
            assertThat(seeded.host(2).role()).isEqualTo(HostState.Role.REPLICA);

            gate.countDown();
            ClusterState probed = m.awaitFirstProbe(Duration.ofSeconds(30));
            assertThat(m.probed()).isTrue();
            assertThat(probed.cycle()).isGreaterThan(1);
            assertThat(probed.takenAtNanos()).isGreaterThan(last.takenAtNanos());
            assertThat(probed.writable()).isZero();
        }
    }

    /**
     * A seeded monitor's first cycle waits for a call that needs it or for a connection's first
     * statement ({@link ClusterMonitor#startProbing()}), but never longer than its grace period:
     * with nobody asking, the seed is still confirmed by a probe of every host.
     */
    @Test
    void aSeededMonitorProbesWithinItsGraceWhenNobodyAsks() throws Exception {
        List<String> hosts = direct();
        ClusterState last = lastStateOfAPredecessor(hosts);
        java.util.concurrent.atomic.AtomicInteger logins = new java.util.concurrent.atomic.AtomicInteger();
        try (ClusterMonitor m = new ClusterMonitor("seeded-unasked", hosts.size(), i -> {
            logins.incrementAndGet();
            return DriverManager.getConnection("jdbc:postgresql://" + hosts.get(i) + "/" + cluster.database(),
                    cluster.credentials());
        }, Duration.ofSeconds(60), new ClusterStats(), last)) {
            assertThat(m.state().cycle()).as("the seed").isEqualTo(1);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(m::probed);
            assertThat(logins.get()).isEqualTo(hosts.size());
            assertThat(m.state().takenAtNanos()).isGreaterThan(last.takenAtNanos());
        }
    }

    /** The state a monitor of {@code hosts} leaves behind after its first probe: a seed. */
    private ClusterState lastStateOfAPredecessor(List<String> hosts) {
        try (ClusterMonitor predecessor = monitor(hosts)) {
            return predecessor.awaitFirstProbe(Duration.ofSeconds(30));
        }
    }
}
