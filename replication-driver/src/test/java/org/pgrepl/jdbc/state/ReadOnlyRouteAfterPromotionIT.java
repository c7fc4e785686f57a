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
import java.util.List;
import java.util.Properties;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
 * An explicit transaction after {@code RESET ALL} is refused too, however the session was made
 * read-only.
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

    private static int port(Statement s) throws SQLException {
        return intOf(s, "SELECT inet_server_port()");
    }

    private static int backend(Statement s) throws SQLException {
        return intOf(s, "SELECT pg_backend_pid()");
    }

    private static int intOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void assertRefused(ThrowingCallable write) {
        assertThatThrownBy(write).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("25006"));
    }

    /**
     * Two connections hold their replica sessions across the promotion: one read-only from its
     * login (pgrepl then begins its transactions with a plain BEGIN: the session's default is what
     * makes them read-only), and one whose {@code options} end in a backslash, so pgrepl set the
     * session read-only by statement (which RESET ALL undoes: pgjdbc's BEGIN READ ONLY remains).
     * The monitor's interval is long, so it has not seen the promotion: the read-only route stays
     * on the promoted host's sessions (once it sees it, the next read-only transaction moves).
     */
    @Test
    void writesOnTheReadOnlyRouteFailWith25006AfterThePromotion() throws Exception {
        Properties escaped = cluster.credentials();
        escaped.setProperty("options", "-c search_path=public\\");
        String url = cluster.pgreplUrl() + "?monitorInterval=60s";
        try (Connection c = DriverManager.getConnection(url, cluster.credentials());
             Connection byStatement = DriverManager.getConnection(url, escaped)) {
            c.setReadOnly(true);
            byStatement.setReadOnly(true);
            try (PreparedStatement held = c.prepareStatement("INSERT INTO promoted_rows DEFAULT VALUES");
                 Statement s = c.createStatement(); Statement s2 = byStatement.createStatement()) {
                assertThat(port(s)).isEqualTo(replica.port());
                assertThat(port(s2)).isEqualTo(replica.port());
                List<Integer> sessions = List.of(backend(s), backend(s2));
                cluster.promote(replica);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    try (Connection direct = cluster.connect(replica); Statement q = direct.createStatement();
                         ResultSet r = q.executeQuery("SELECT pg_is_in_recovery()")) {
                        r.next();
                        return !r.getBoolean(1);
                    }
                });
                assertRefused(held::executeUpdate);
                try (Statement fresh = c.createStatement()) {
                    assertRefused(() -> fresh.executeUpdate("INSERT INTO promoted_rows DEFAULT VALUES"));
                }
                List<Connection> both = List.of(c, byStatement);
                for (int i = 0; i < 2; i++) {
                    Connection each = both.get(i);
                    // An explicit transaction, after what resets a session's settings.
                    try (Statement reset = each.createStatement()) {
                        reset.execute("RESET ALL");
                    }
                    each.setAutoCommit(false);
                    try (Statement tx = each.createStatement()) {
                        assertThat(backend(tx)).as("the promoted host's session serves it").isEqualTo(sessions.get(i));
                        assertRefused(() -> tx.executeUpdate("INSERT INTO promoted_rows DEFAULT VALUES"));
                    }
                    each.rollback();
                }
            }
        }
        assertThat(rowsOn(replica)).as("nothing written on the promoted host through the read-only route").isZero();
    }
}
