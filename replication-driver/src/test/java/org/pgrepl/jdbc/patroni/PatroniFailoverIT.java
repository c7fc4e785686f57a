package org.pgrepl.jdbc.patroni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgrepl.infra.FailoverWindow;
import org.pgrepl.infra.PatroniCluster;
import org.pgrepl.infra.PatroniWatch;

/**
 * pgrepl through HikariCP on a Patroni cluster of 3 and of 2 members in synchronous mode, 2 writer
 * threads and 1 reader (readFallback=primary, the default), through a switchover and through a
 * leader SIGKILL followed by a restart of that member. Over each event's whole window (1 s before
 * it to the end of the rejoin): no acknowledged commit lost, no write sent to a standby, no read
 * failed outside Patroni's own outage, writes back soon after Patroni elects, and reads on a
 * standby again soon after one returns. A {@link PatroniWatch} supplies what Patroni reported.
 */
@Tag("patroni")
class PatroniFailoverIT {
    private static final long INTERVAL_MS = 200;
    /** Timing bounds are generous: twice the target plus a second. */
    private static final long BOUND_MS = 2 * (2 * INTERVAL_MS) + 1000;

    /** A finished write: when, and its outcome. */
    record Write(long atNanos, boolean ok, String sqlState) {
    }

    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {3, 2})
    void followsTheLeaderAndLosesNothing(int members) throws Exception {
        String missing = PatroniCluster.missing();
        if (missing != null) {
            System.out.println("SKIPPED PatroniFailoverIT: " + missing);
        }
        assumeTrue(missing == null, missing);
        try (PatroniCluster cluster = PatroniCluster.start(members, true);
             PatroniWatch watch = PatroniWatch.start(cluster, Duration.ofMillis(100))) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(cluster.pgreplUrl() + "?monitorInterval=" + INTERVAL_MS
                    + "ms&hostRecheck=500ms&connectTimeout=2&socketTimeout=10");
            config.setUsername(cluster.credentials().getProperty("user"));
            config.setPassword(cluster.credentials().getProperty("password"));
            config.setMaximumPoolSize(6);
            config.setConnectionTimeout(10_000);
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<FailoverWindow.Op> reads = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong ids = new AtomicLong();
            String tag = "PatroniFailoverIT (" + members + " members): ";
            try (HikariDataSource pool = new HikariDataSource(config)) {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE acked (id bigint PRIMARY KEY)");
                }
                List<Thread> threads = List.of(writer(pool, ids, acknowledged, writes, running),
                        writer(pool, ids, acknowledged, writes, running), reader(pool, reads, running));
                threads.forEach(Thread::start);
                try {
                    Thread.sleep(2000);

                    long t0 = System.nanoTime();
                    String newLeader = cluster.switchover();
                    long elected = System.nanoTime();
                    cluster.awaitHealthy(Duration.ofSeconds(60));
                    long rejoined = System.nanoTime();
                    Thread.sleep(2000);
                    check(tag + "switchover to " + newLeader, t0, elected, rejoined, System.nanoTime(), writes, reads, watch);

                    long t1 = System.nanoTime();
                    String killed = cluster.failover();
                    long elected2 = System.nanoTime();
                    Thread.sleep(2000);
                    cluster.startMember(cluster.member(killed));
                    cluster.awaitHealthy(Duration.ofSeconds(90));
                    long rejoined2 = System.nanoTime();
                    Thread.sleep(2000);
                    check(tag + "SIGKILL of leader " + killed + ", then its restart", t1, elected2, rejoined2,
                            System.nanoTime(), writes, reads, watch);
                } finally {
                    running.set(false);
                    for (Thread t : threads) {
                        t.join();
                    }
                }
            }
            // Every acknowledged commit is on the final leader.
            String leader = cluster.leader();
            Set<Long> present = new HashSet<>();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + cluster.member(leader).hostAndPort()
                    + "/db_patient_health_record", cluster.credentials());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM acked")) {
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
            }
            long lost = acknowledged.stream().filter(id -> !present.contains(id)).count();
            System.out.printf("%s%d acknowledged commits, %d lost; write errors by SQLState: %s%n", tag,
                    acknowledged.size(), lost, writes.stream().filter(o -> !o.ok()).map(Write::sqlState).distinct().toList());
            assertThat(lost).isZero();
            // No write was sent to a standby: it would have been refused with 25006.
            assertThat(writes).noneMatch(o -> "25006".equals(o.sqlState()));
        }
    }

    /**
     * Prints and checks one event: its window runs from 1 s before the event to the end of the
     * rejoin (every member running again); the tail after it is where reads must be on standbys.
     */
    private static void check(String event, long start, long elected, long rejoined, long tailEnd,
                              ConcurrentLinkedQueue<Write> writes, ConcurrentLinkedQueue<FailoverWindow.Op> reads,
                              PatroniWatch watch) {
        long from = start - 1_000_000_000L;
        // The write outage is the longest gap between successful writes in the window.
        long[] ok = writes.stream().filter(o -> o.ok() && o.atNanos() >= from && o.atNanos() <= rejoined)
                .mapToLong(Write::atNanos).sorted().toArray();
        long gap = 0;
        long gapEnd = start;
        for (int i = 1; i < ok.length; i++) {
            if (ok[i] - ok[i - 1] > gap) {
                gap = ok[i] - ok[i - 1];
                gapEnd = ok[i];
            }
        }
        long afterElectionMs = Math.max(0, (gapEnd - elected) / 1_000_000);
        FailoverWindow w = FailoverWindow.of(reads, watch, from, rejoined, List.<long[]>of(new long[] {start, elected}));
        long tailReads = reads.stream().filter(o -> o.ok() && o.startNanos() >= rejoined && o.endNanos() <= tailEnd).count();
        long tailOnStandby = reads.stream().filter(o -> o.ok() && o.onStandby() && o.startNanos() >= rejoined
                && o.endNanos() <= tailEnd).count();
        double tailShare = tailReads == 0 ? 0 : 100.0 * tailOnStandby / tailReads;
        System.out.printf("%s: Patroni elected after %d ms, rejoined after %d ms; write outage %d ms, first write %d ms"
                        + " after the election was seen; whole window: %s; after the rejoin %.1f %% of %d reads on a standby%n",
                event, (elected - start) / 1_000_000, (rejoined - start) / 1_000_000, gap / 1_000_000, afterElectionMs, w,
                tailShare, tailReads);
        // Writes resume within Patroni's own promotion time plus two monitor intervals (with margin).
        assertThat(afterElectionMs).as("writes resume after the election").isLessThan(BOUND_MS);
        assertThat(w.failedOutside()).as("reads failed outside Patroni's outage (readFallback=primary): "
                + w.failedDetail()).isZero();
        assertThat(w.returnDelaysMs()).as("standby back -> first read on a standby, ms (-1: never)")
                .allSatisfy(d -> assertThat(d).isBetween(0L, BOUND_MS));
        assertThat(tailShare).as("share of reads on a standby after the rejoin").isGreaterThanOrEqualTo(90.0);
    }

    private static Thread writer(HikariDataSource pool, AtomicLong ids, Set<Long> acknowledged,
                                 ConcurrentLinkedQueue<Write> writes, AtomicBoolean running) {
        return new Thread(() -> {
            while (running.get()) {
                long id = ids.incrementAndGet();
                try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO acked VALUES (?)")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                    acknowledged.add(id);
                    writes.add(new Write(System.nanoTime(), true, null));
                } catch (SQLException e) {
                    writes.add(new Write(System.nanoTime(), false, e.getSQLState()));
                    pause();
                }
            }
        });
    }

    private static Thread reader(HikariDataSource pool, ConcurrentLinkedQueue<FailoverWindow.Op> reads, AtomicBoolean running) {
        return new Thread(() -> {
            while (running.get()) {
                long began = System.nanoTime();
                try (Connection c = pool.getConnection()) {
                    c.setReadOnly(true);
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                        rs.next();
                        reads.add(new FailoverWindow.Op(began, System.nanoTime(), true, rs.getBoolean(1), null, null));
                    }
                } catch (SQLException e) {
                    reads.add(new FailoverWindow.Op(began, System.nanoTime(), false, false, null, e.getSQLState()));
                    pause();
                }
            }
        });
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
