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
 * While no primary is up, a standby answers reads also when the URL lists it first. Under Patroni
 * any member can be the standby that survives a leader's crash; found by the failover benchmark
 * (2 members, synchronous_mode off, SIGKILL of the leader: 103 reads failed with 08001 during
 * Patroni's outage while member1, listed first, answered as a standby). Before the fix every fresh
 * read-only connection failed with 08001 "... is in recovery (a standby)": while the monitor knew
 * no writable host, {@code Router.usableReplicas} took the URL's first host for the primary and
 * excluded it from the replicas, and the fallback then tried to open a primary there.
 */
class StandbyListedFirstIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder().replicas(1).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static boolean inRecovery(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void aStandbyListedFirstServesReadsWhileNoPrimaryIsUp() throws Exception {
        Server replica = cluster.replicas().get(0);
        String url = "jdbc:pgrepl://" + replica.hostAndPort() + "," + cluster.primary().hostAndPort() + "/"
                + cluster.database() + "?monitorInterval=200ms";
        try (Connection c = DriverManager.getConnection(url, cluster.credentials())) {
            c.setReadOnly(true);
            assertThat(inRecovery(c)).isTrue();
        }
        cluster.stop(cluster.primary());
        try {
            Thread.sleep(1000); // five monitor intervals: the primary is seen down
            for (int i = 0; i < 3; i++) {
                try (Connection c = DriverManager.getConnection(url, cluster.credentials())) {
                    c.setReadOnly(true);
                    assertThat(inRecovery(c)).as("a fresh connection's read is served by the standby").isTrue();
                }
            }
        } finally {
            cluster.start(cluster.primary());
        }
    }
}
