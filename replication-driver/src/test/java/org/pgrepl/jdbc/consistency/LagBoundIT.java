package org.pgrepl.jdbc.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/**
 * Bounded staleness: with replay paused on one replica while writes continue, no read is served
 * from it once it is behind maxReplicaLag (plus the one monitor interval the guarantee allows),
 * and it rejoins after replay resumes.
 */
class LagBoundIT {
    private static final long MAX_LAG_MS = 1000;
    private static final long INTERVAL_MS = 200;
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(2).start();
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE lag_rows (id serial PRIMARY KEY, at timestamptz DEFAULT now())");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Port and replay lag (ms, idle-safe) of the server that served the read. */
    private static long[] read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT inet_server_port(),"
                + " CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                + " ELSE (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint END")) {
            rs.next();
            return new long[] {rs.getInt(1), rs.getLong(2)};
        }
    }

    @Test
    void aLaggingReplicaServesNoReadBeyondTheBoundAndRejoins() throws Exception {
        Server paused = cluster.server("replica1");
        String url = cluster.pgreplUrl() + "?maxReplicaLag=" + MAX_LAG_MS + "ms&monitorInterval=" + INTERVAL_MS + "ms";
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
                while (writing.get()) {
                    s.execute("INSERT INTO lag_rows DEFAULT VALUES");
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        int fromPausedBeyondBound = 0;
        int fromPaused = 0;
        int reads = 0;
        try (Connection c = DriverManager.getConnection(url, cluster.credentials())) {
            c.setReadOnly(true);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> read(c)[0] == paused.port()
                    || servedBoth(url));
            cluster.pauseReplay(paused);
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                long[] r = read(c);
                reads++;
                if (r[0] == paused.port()) {
                    fromPaused++;
                    if (r[1] > MAX_LAG_MS + INTERVAL_MS + 300) {
                        fromPausedBeyondBound++;
                    }
                }
                Thread.sleep(5);
            }
            System.out.printf("LagBoundIT: %d reads while replica1 was paused, %d from it, %d beyond the bound%n",
                    reads, fromPaused, fromPausedBeyondBound);
            assertThat(fromPausedBeyondBound).isZero();
            cluster.resumeReplay(paused);
            // Rejoins: new connections are routed to it again once it caught up.
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> servedBy(url, paused.port()));
        } finally {
            writing.set(false);
            writer.join();
            cluster.resumeReplay(paused);
        }
    }

    private static boolean servedBoth(String url) throws SQLException {
        return servedBy(url, cluster.server("replica1").port());
    }

    private static boolean servedBy(String url, int port) throws SQLException {
        for (int i = 0; i < 4; i++) {
            try (Connection c = DriverManager.getConnection(url, cluster.credentials())) {
                c.setReadOnly(true);
                if (read(c)[0] == port) {
                    return true;
                }
            }
        }
        return false;
    }
}
