package org.pgrepl.jdbc.state;

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
 * A monitor started after a quiet spell is seeded with its stopped predecessor's roles (issue
 * 18's cold start). A replica promoted during that spell, with the old primary left running (two
 * hosts out of recovery), makes the seed's writable host wrong while it still accepts writes:
 * a write routed on the seed committed there, on a timeline the cluster had left, and was
 * reported as committed (found reading the seed's use after the model test's promotion property
 * read a seeded monitor's roles). The write route waits for the first probe, which picks the
 * higher timeline.
 */
class WriteAfterAQuietPromotionIT {
    private static EmbeddedCluster cluster;
    private static Server oldPrimary;
    private static Server replica;

    @BeforeAll
    static void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(1).start();
        oldPrimary = cluster.primary();
        replica = cluster.replicas().get(0);
        try (Connection c = cluster.connect(oldPrimary); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE quiet_rows (id text PRIMARY KEY)");
        }
        cluster.awaitReplication();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static boolean holds(Server server, String id) throws SQLException {
        try (Connection c = cluster.connect(server); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM quiet_rows WHERE id = '" + id + "'")) {
            rs.next();
            return rs.getLong(1) == 1;
        }
    }

    @Test
    void aWriteAfterAQuietSpellGoesToTheHostPromotedDuringIt() throws Exception {
        String url = cluster.pgreplUrl() + "?monitorInterval=100ms";
        try (Connection c = DriverManager.getConnection(url, cluster.credentials()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO quiet_rows VALUES ('before')"); // the monitor has seen the old primary
        }
        // Every connection closed: the monitor stops two intervals later and leaves its state as a seed.
        QuietSpell.awaitMonitorStopped(oldPrimary);

        cluster.awaitReplication();
        cluster.promote(replica); // the old primary is left running: it still accepts writes

        try (Connection c = DriverManager.getConnection(url, cluster.credentials()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO quiet_rows VALUES ('after')");
            try (ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the write route is on the promoted host").isEqualTo(replica.port());
            }
        }
        assertThat(holds(replica, "after")).as("the acknowledged write is on the promoted host").isTrue();
        assertThat(holds(oldPrimary, "after")).as("nothing written on the timeline the cluster left").isFalse();
    }
}
