package org.pgrepl.jdbc.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;

/**
 * Issue 14.2 and 14.3: the failure of one established session (terminated, a network timeout)
 * drops that physical connection only. Before, it marked a healthy replica down for the whole
 * JVM (every new read-only connection went to the primary, or failed with readFallback=fail),
 * and a timed-out read was retried on another host.
 */
@ExtendWith(PgClusterExtension.class)
class SessionFailureIT {
    private static EmbeddedCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void setUp(EmbeddedCluster c) {
        cluster = c;
        admin = new Admin(c);
    }

    /** The primary and one replica: "a replica elsewhere" can only be that replica again. */
    private static Connection open(String params) throws SQLException {
        return DriverManager.getConnection(oneReplicaUrl() + "?" + params, cluster.credentials());
    }

    private static String oneReplicaUrl() {
        return "jdbc:pgrepl://" + cluster.primary().hostAndPort() + "," + cluster.replicas().get(0).hostAndPort() + "/"
                + cluster.database();
    }

    private static int port(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean inRecovery(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void aTerminatedReplicaSessionExcludesNoHostEvenWithReadFallbackFail() throws Exception {
        String app = Admin.appName("terminated-replica");
        Server replica = cluster.replicas().get(0);
        String url = oneReplicaUrl() + "?readFallback=fail&ApplicationName=" + app;
        try (Connection c = DriverManager.getConnection(url, cluster.credentials())) {
            c.setReadOnly(true);
            assertThat(port(c)).isEqualTo(replica.port());
            assertThat(admin.terminate(replica, app)).isEqualTo(1);
            try (Connection next = DriverManager.getConnection(url, cluster.credentials())) {
                next.setReadOnly(true);
                assertThat(port(next)).as("the next connection's read is served by the replica").isEqualTo(replica.port());
            }
            // And the connection whose session died reads again too (its one retry, or a fresh session).
            assertThat(port(c)).isEqualTo(replica.port());
        }
    }

    @Test
    void aReadPastItsNetworkTimeoutFailsWithoutRetryAndBenchesNoHost() throws Exception {
        String app = Admin.appName("network-timeout");
        try (Connection c = open("ApplicationName=" + app)) {
            c.setReadOnly(true);
            c.setNetworkTimeout(Executors.newSingleThreadExecutor(), 1000);
            slowReadFailsWithoutRetry(c);
            c.setNetworkTimeout(Executors.newSingleThreadExecutor(), 0);
        }
        everyNewReadOnlyConnectionReadsOnTheReplica();
    }

    /** The same with the URL's {@code socketTimeout} (pgjdbc's own), the other path issue 14.2 names. */
    @Test
    void aReadPastTheUrlsSocketTimeoutFailsWithoutRetryAndBenchesNoHost() throws Exception {
        try (Connection c = open("socketTimeout=1&ApplicationName=" + Admin.appName("socket-timeout"))) {
            c.setReadOnly(true);
            slowReadFailsWithoutRetry(c);
        }
        everyNewReadOnlyConnectionReadsOnTheReplica();
    }

    /**
     * The server ending an idle replica session itself (57P05, {@code idle_session_timeout}) is
     * one session's end like a termination: the next connection's read, with readFallback=fail,
     * is served by that replica, and so is the connection's own next read.
     */
    @Test
    void anIdleSessionTimeoutOnAReplicaExcludesNoHostEvenWithReadFallbackFail() throws Exception {
        Server replica = cluster.replicas().get(0);
        try (Connection c = open("readFallback=fail&ApplicationName=" + Admin.appName("idle-timeout"))) {
            c.setReadOnly(true);
            assertThat(port(c)).isEqualTo(replica.port());
            try (Statement s = c.createStatement()) {
                s.execute("SET idle_session_timeout = 300"); // this replica session only
            }
            Thread.sleep(1_500);
            try (Connection next = open("readFallback=fail")) {
                next.setReadOnly(true);
                assertThat(port(next)).as("the next connection's read is served by the replica").isEqualTo(replica.port());
            }
            assertThat(port(c)).as("the connection whose session the server ended reads on the replica again")
                    .isEqualTo(replica.port());
        }
    }

    /** Sleeps only on the replica serving {@code c}: a retry elsewhere (the primary, in fallback) would succeed. */
    private static void slowReadFailsWithoutRetry(Connection c) throws SQLException {
        int slowPort = port(c);
        assertThat(slowPort).isEqualTo(cluster.replicas().get(0).port());
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_sleep(CASE WHEN inet_server_port() = ? THEN 3 ELSE 0 END)")) {
            ps.setInt(1, slowPort);
            assertThatThrownBy(ps::executeQuery)
                    .as("a timed-out read is not retried on another host")
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("08"));
        }
    }

    /** Before: the host was benched for 10 s and more, so readFallback=fail failed. */
    private static void everyNewReadOnlyConnectionReadsOnTheReplica() throws SQLException {
        for (int i = 0; i < 4; i++) {
            try (Connection next = open("readFallback=fail")) {
                next.setReadOnly(true);
                assertThat(inRecovery(next)).isTrue();
            }
        }
    }
}
