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
import org.pgrepl.jdbc.PgReplConnection;

/**
 * A causal token from before a promotion that happened while no monitor watched (a quiet spell)
 * is on a timeline the cluster has left: DESIGN says the primary alone serves it. The new
 * monitor is seeded with its predecessor's roles and timeline, and a seeded monitor's first
 * probe now waits for a connection's first statement: {@code requireCausalToken} comes before it,
 * so it waits for the first probe itself instead of judging the token by the seed (found by an
 * attacking review of that change). The remaining replica still follows the old primary, so a
 * read there would "reach" the token's position on the wrong timeline.
 */
class CausalTokenAfterAQuietPromotionIT {
    private static EmbeddedCluster cluster;
    private static Server oldPrimary;
    private static Server promoted;
    private static Server follower;

    @BeforeAll
    static void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(2).start();
        oldPrimary = cluster.primary();
        promoted = cluster.replicas().get(0);
        follower = cluster.replicas().get(1);
        try (Connection c = cluster.connect(oldPrimary); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE token_rows (id text PRIMARY KEY)");
        }
        cluster.awaitReplication();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void anOldTimelinesTokenAfterAQuietPromotionIsServedByThePrimary() throws Exception {
        // The follower is listed before the promoted host, so a read routed on the seed would
        // pick it first (round robin from the start of a new cluster entry).
        String url = "jdbc:pgrepl://" + oldPrimary.hostAndPort() + "," + follower.hostAndPort() + ","
                + promoted.hostAndPort() + "/" + cluster.database() + "?monitorInterval=100ms";
        String token;
        try (Connection c = DriverManager.getConnection(url, cluster.credentials()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO token_rows VALUES ('before')");
            token = c.unwrap(PgReplConnection.class).causalToken();
        }
        QuietSpell.awaitMonitorStopped(oldPrimary);
        cluster.awaitReplication();
        cluster.promote(promoted); // the old primary keeps running, and the follower keeps following it

        try (Connection c = DriverManager.getConnection(url, cluster.credentials())) {
            c.unwrap(PgReplConnection.class).requireCausalToken(token);
            c.setReadOnly(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                rs.next();
                assertThat(rs.getInt(1)).as("an old timeline's token is served by the primary of the new one")
                        .isEqualTo(promoted.port());
            }
        }
    }
}
