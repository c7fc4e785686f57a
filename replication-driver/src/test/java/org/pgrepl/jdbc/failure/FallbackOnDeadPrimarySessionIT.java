package org.pgrepl.jdbc.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/**
 * A read that falls back to the primary (no usable replica, readFallback=primary) on a logical
 * connection whose idle primary session has died: the read succeeds on a fresh session. Seen under
 * Patroni on 2 members (issue 14, failover benchmark): after a switchover or a leader SIGKILL the
 * reader's fallback reused the session to the old primary, ended by its shutdown, and the read
 * failed with 57P01 (from createStatement, where the fallback puts the session in read-only mode)
 * or 08006 (from executeQuery, not retried: the retry rule is applied to read-route sessions only).
 * Here the session's death is a {@code pg_terminate_backend}, which Patroni's fast shutdown also
 * does. Before the fix: the first test's read failed with 57P01 from
 * {@code Routes.fallbackToPrimary -> Physical.setReadOnlySession}, and every later call, on either
 * route, with 08003 (the failure there did not mark the session broken); the second test's read
 * failed with 57P01 from executeQuery (no retry), the next one succeeded.
 */
class FallbackOnDeadPrimarySessionIT {
    private static EmbeddedCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder().replicas(1).start();
        admin = new Admin(cluster);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Connection open(String app) throws SQLException {
        return DriverManager.getConnection(cluster.pgreplUrl() + "?monitorInterval=200ms&ApplicationName=" + app,
                cluster.credentials());
    }

    private static boolean inRecovery(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void aReadFallingBackToADeadIdlePrimarySessionSucceeds() throws Exception {
        String app = Admin.appName("fallback-dead-primary");
        Server replica = cluster.replicas().get(0);
        try (Connection c = open(app)) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT 1"); // opens the primary session, left idle
            }
            c.setReadOnly(true);
            // the other test restarts the replica: the monitor sees it back within a few intervals
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> inRecovery(c));
            cluster.stop(replica);
            try {
                Thread.sleep(1000); // five monitor intervals: the replica is seen down
                assertThat(admin.terminate(cluster.primary(), app)).isEqualTo(1);
                assertThat(inRecovery(c)).as("the fallback read is served by the primary").isFalse();
                assertThat(inRecovery(c)).as("and so is the next").isFalse();
                c.setReadOnly(false);
                assertThat(inRecovery(c)).as("the read-write route works too").isFalse();
            } finally {
                cluster.start(replica);
            }
        }
    }

    @Test
    void aFallbackReadWhosePrimarySessionDiedIsRetried() throws Exception {
        String app = Admin.appName("fallback-retry");
        Server replica = cluster.replicas().get(0);
        try (Connection c = open(app)) {
            c.setReadOnly(true);
            // the other test restarts the replica: the monitor sees it back within a few intervals
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> inRecovery(c));
            cluster.stop(replica);
            try {
                Thread.sleep(1000);
                assertThat(inRecovery(c)).as("falls back to the primary").isFalse();
                assertThat(admin.terminate(cluster.primary(), app)).isEqualTo(1);
                // A read-only autocommit read that met a broken connection before any row: retried once.
                assertThat(inRecovery(c)).isFalse();
            } finally {
                cluster.start(replica);
            }
        }
    }
}
