package org.pgrepl.jdbc.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/**
 * Issue 15.1: a read-only route is read-only wherever it runs. Replica sessions are read-only
 * sessions, so a replica promoted under a connection still refuses the read-only route's writes,
 * from a new statement and from one prepared before the promotion. Before, both inserted rows.
 */
class ReadOnlyRouteAfterPromotionIT {
    private static EmbeddedCluster cluster;
    private static Server replica;

    @BeforeAll
    static void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(1).start();
        replica = cluster.replicas().get(0);
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE promoted_rows (id serial PRIMARY KEY)");
        }
        cluster.awaitReplication();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static long rowsOn(Server server) throws SQLException {
        try (Connection c = cluster.connect(server); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM promoted_rows")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void writesOnTheReadOnlyRouteFailWith25006AfterThePromotion() throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?monitorInterval=200ms",
                cluster.credentials())) {
            c.setReadOnly(true);
            try (PreparedStatement held = c.prepareStatement("INSERT INTO promoted_rows DEFAULT VALUES");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(replica.port());
                cluster.promote(replica);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    try (Connection direct = cluster.connect(replica); Statement q = direct.createStatement();
                         ResultSet r = q.executeQuery("SELECT pg_is_in_recovery()")) {
                        r.next();
                        return !r.getBoolean(1);
                    }
                });
                assertThatThrownBy(held::executeUpdate)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
                try (Statement fresh = c.createStatement()) {
                    assertThatThrownBy(() -> fresh.executeUpdate("INSERT INTO promoted_rows DEFAULT VALUES"))
                            .isInstanceOfSatisfying(SQLException.class,
                                    e -> assertThat(e.getSQLState()).isEqualTo("25006"));
                }
            }
        }
        assertThat(rowsOn(replica)).as("nothing written on the promoted host through the read-only route").isZero();
    }
}
