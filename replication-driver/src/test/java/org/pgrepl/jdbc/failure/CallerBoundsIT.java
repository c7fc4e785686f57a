package org.pgrepl.jdbc.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/**
 * Issue 14.5: pgrepl's own waits end at the caller's bounds. Before, {@code isValid(1)} took the
 * whole read-your-writes wait and answered false on a healthy connection, and neither
 * {@code setQueryTimeout(1)}, the network timeout nor {@code cancel()} ended a 6 s replay wait. Its own cluster (one
 * replica, replay paused), so no other test's reads are held up.
 */
class CallerBoundsIT {
    private static EmbeddedCluster cluster;
    private static Server replica;
    private static String url;

    @BeforeAll
    static void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(1).start();
        replica = cluster.replicas().get(0);
        url = cluster.pgreplUrl() + "?readConsistency=session&readYourWritesTimeout=6s&readFallback=fail";
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bounds_rows (id serial PRIMARY KEY)");
        }
        cluster.awaitReplication();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** A connection that wrote while replay is paused: its next replica read must wait. */
    private static Connection behind() throws SQLException {
        Connection c = DriverManager.getConnection(url, cluster.credentials());
        c.setReadOnly(true);
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1").close(); // the replica route is open
        }
        c.setReadOnly(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO bounds_rows DEFAULT VALUES");
        }
        c.setReadOnly(true);
        return c;
    }

    @Test
    void isValidDoesNotWaitForTheReadFloor() throws SQLException {
        cluster.pauseReplay(replica);
        try (Connection c = behind()) {
            long t0 = System.nanoTime();
            assertThat(c.isValid(1)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3_000);
        } finally {
            cluster.resumeReplay(replica);
        }
    }

    @Test
    void theQueryTimeoutEndsTheReplayWait() throws SQLException {
        cluster.pauseReplay(replica);
        try (Connection c = behind(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM bounds_rows")) {
            ps.setQueryTimeout(1);
            long t0 = System.nanoTime();
            assertThatThrownBy(ps::executeQuery)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3_000);
        } finally {
            cluster.resumeReplay(replica);
        }
    }

    @Test
    void theNetworkTimeoutEndsTheReplayWait() throws SQLException {
        cluster.pauseReplay(replica);
        try (Connection c = behind(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM bounds_rows")) {
            c.setNetworkTimeout(Runnable::run, 1000);
            long t0 = System.nanoTime();
            assertThatThrownBy(ps::executeQuery)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("well before the 6 s wait ends")
                    .isLessThan(3_000);
            assertThat(c.isClosed()).as("the wait's end is the statement's, not the connection's").isFalse();
        } finally {
            cluster.resumeReplay(replica);
        }
    }

    @Test
    void cancelEndsTheReplayWait() throws Exception {
        cluster.pauseReplay(replica);
        try (Connection c = behind(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM bounds_rows")) {
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(500);
                    ps.cancel();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            assertThatThrownBy(ps::executeQuery)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("well before the 6 s wait ends")
                    .isLessThan(4_000);
            canceller.get(5, TimeUnit.SECONDS);
        } finally {
            cluster.resumeReplay(replica);
        }
    }
}
