package org.pgrepl.jdbc.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;
import org.pgrepl.jdbc.PgReplConnection;

/**
 * Real faults under 8 threads of reads: a replica killed with SIGKILL, and a replica whose TCP
 * traffic stalls. Reads keep succeeding elsewhere, every failure is a clear SQLException, and
 * no read hangs past the configured timeouts.
 */
class ReplicaFaultIT {
    private static final int CONNECT_TIMEOUT_S = 2;
    private static final int SOCKET_TIMEOUT_S = 2;
    private EmbeddedCluster cluster;

    @BeforeEach
    void start() {
        cluster = EmbeddedCluster.builder().replicas(2).start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** One read's outcome. */
    record Read(long startNanos, long millis, int port, String sqlState) {
    }

    private List<Read> readUnderLoad(String url, Runnable fault, Duration before, Duration after) throws Exception {
        ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(threads.submit(() -> {
                Connection c = null;
                while (running.get()) {
                    long t0 = System.nanoTime();
                    try {
                        if (c == null) {
                            c = DriverManager.getConnection(url, cluster.credentials());
                            c.setReadOnly(true);
                        }
                        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                            rs.next();
                            reads.add(new Read(t0, (System.nanoTime() - t0) / 1_000_000, rs.getInt(1), null));
                        }
                    } catch (SQLException e) {
                        reads.add(new Read(t0, (System.nanoTime() - t0) / 1_000_000, -1, e.getSQLState()));
                    }
                }
                if (c != null) {
                    c.close();
                }
                return null;
            }));
        }
        Thread.sleep(before.toMillis());
        fault.run();
        long faultAt = System.nanoTime();
        Thread.sleep(after.toMillis());
        running.set(false);
        for (Future<?> f : futures) {
            f.get();
        }
        threads.shutdown();
        List<Read> all = new ArrayList<>(reads);
        all.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return all.stream().map(r -> new Read(r.startNanos() - faultAt, r.millis(), r.port(), r.sqlState())).toList();
    }

    @Test
    void aKilledReplicaUnderLoad() throws Exception {
        Server victim = cluster.server("replica1");
        String url = cluster.pgreplUrl() + "?monitorInterval=200ms&hostRecheck=1s&connectTimeout=" + CONNECT_TIMEOUT_S;
        List<Read> reads = readUnderLoad(url, () -> cluster.kill(victim), Duration.ofSeconds(1), Duration.ofSeconds(3));
        long failures = reads.stream().filter(r -> r.sqlState() != null).count();
        long afterDetection = reads.stream().filter(r -> r.startNanos() > Duration.ofMillis(500).toNanos()).count();
        System.out.printf("ReplicaFaultIT kill: %d reads, %d failed (SQLStates %s), %d started >500 ms after the kill%n",
                reads.size(), failures, reads.stream().map(Read::sqlState).filter(s -> s != null).distinct().toList(),
                afterDetection);
        // A read-only autocommit query that meets the broken connection is retried once on another
        // host, so not one read fails.
        assertThat(failures).isZero();
        // Reads started once the kill is known succeed, on the other replica or the primary.
        assertThat(reads).filteredOn(r -> r.startNanos() > Duration.ofMillis(500).toNanos())
                .isNotEmpty().allMatch(r -> r.sqlState() == null && r.port() != victim.port());
        // No read waits longer than the connect timeout (generous margin: twice it plus a second).
        assertThat(reads).allMatch(r -> r.millis() < CONNECT_TIMEOUT_S * 2_000L + 1_000);
    }

    @Test
    void aHeldPreparedStatementRetriesItsReadOnAnotherHost() throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?monitorInterval=200ms",
                cluster.credentials())) {
            c.setReadOnly(true);
            try (var ps = c.prepareStatement("SELECT inet_server_port(), ?::int")) {
                ps.setInt(1, 42);
                int first;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    first = rs.getInt(1);
                }
                Server victim = cluster.serverAt(first);
                cluster.kill(victim);
                ps.setFetchSize(10);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isNotEqualTo(first);
                    assertThat(rs.getInt(2)).as("parameters replayed on the new host").isEqualTo(42);
                    assertThat(rs.getStatement()).isSameAs(ps);
                }
            }
            // A write is never retried: on the read-write route a broken connection fails the statement.
            c.setReadOnly(false);
            assertThat(c.unwrap(PgReplConnection.class).currentHost()).isNull();
        }
    }

    @Test
    void aStalledReplicaDoesNotHangReadsBeyondTheSocketTimeout() throws Exception {
        Server victim = cluster.server("replica1");
        String url = cluster.pgreplUrlThroughRelays() + "?monitorInterval=200ms&hostRecheck=1s&connectTimeout="
                + CONNECT_TIMEOUT_S + "&socketTimeout=" + SOCKET_TIMEOUT_S;
        List<Read> reads = readUnderLoad(url, () -> cluster.relay(victim).stall(), Duration.ofSeconds(1),
                Duration.ofSeconds(6));
        cluster.relay(victim).heal();
        long failures = reads.stream().filter(r -> r.sqlState() != null).count();
        System.out.printf("ReplicaFaultIT stall: %d reads, %d failed (SQLStates %s), slowest %d ms%n", reads.size(),
                failures, reads.stream().map(Read::sqlState).filter(s -> s != null).distinct().toList(),
                reads.stream().mapToLong(Read::millis).max().orElse(0));
        reads.stream().filter(r -> r.millis() > 1000).forEach(r -> System.out.printf(
                "ReplicaFaultIT stall: slow read started %d ms after the stall: %d ms, port %d, %s%n",
                r.startNanos() / 1_000_000, r.millis(), r.port(), r.sqlState()));
        assertThat(reads).filteredOn(r -> r.sqlState() != null).allMatch(r -> r.sqlState().startsWith("08"));
        // A read in flight on the stalled socket ends at socketTimeout and is not retried (the
        // caller's time ran out); a read whose connection setup meets the stall first waits for a
        // login to time out too: the configured bound is two socket timeouts, and the test allows
        // twice that plus a second.
        assertThat(reads).allMatch(r -> r.millis() < 2 * (SOCKET_TIMEOUT_S * 2_000L) + 1_000);
        // Once the monitor has found the stall (well within the socket timeout plus an interval),
        // reads avoid it. (A read on a healthy host may still meet the 2 s socketTimeout when this
        // 2-core machine is saturated by 8 reader threads: it fails with 08006, and is not retried.)
        int relayPort = cluster.relay(victim).port();
        assertThat(reads).filteredOn(r -> r.startNanos() > Duration.ofMillis(SOCKET_TIMEOUT_S * 1000L + 1500).toNanos())
                .filteredOn(r -> r.sqlState() == null)
                .isNotEmpty().allMatch(r -> r.port() != victim.port() && r.port() != relayPort);
    }
}
