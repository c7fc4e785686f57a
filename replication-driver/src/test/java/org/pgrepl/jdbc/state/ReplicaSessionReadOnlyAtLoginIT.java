package org.pgrepl.jdbc.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;

/**
 * A replica session is read-only from its login on ({@code -c default_transaction_read_only=on}
 * in the startup packet, no round trip): what resets a session's settings returns to read-only,
 * the application's own {@code options} are kept, and cannot turn it off.
 */
@ExtendWith(PgClusterExtension.class)
class ReplicaSessionReadOnlyAtLoginIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void setUp(EmbeddedCluster c) {
        cluster = c;
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void resetAllAndDiscardAllLeaveAReplicaSessionReadOnly() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl(), cluster.credentials())) {
            c.setReadOnly(true);
            assertThat(show(c, "default_transaction_read_only")).isEqualTo("on");
            run(c, "RESET ALL");
            assertThat(show(c, "default_transaction_read_only")).as("after RESET ALL").isEqualTo("on");
            run(c, "DISCARD ALL");
            assertThat(show(c, "default_transaction_read_only")).as("after DISCARD ALL").isEqualTo("on");
            assertThat(show(c, "transaction_read_only")).isEqualTo("on");
            c.setReadOnly(false);
            assertThat(show(c, "default_transaction_read_only")).as("the primary's session").isEqualTo("off");
        }
    }

    @Test
    void theApplicationsOwnOptionsAreKeptButCannotMakeTheReadRouteWritable() throws SQLException {
        Properties props = cluster.credentials();
        props.setProperty("options", "-c search_path=pg_catalog -c default_transaction_read_only=off");
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl(), props)) {
            c.setReadOnly(true);
            assertThat(show(c, "search_path")).isEqualTo("pg_catalog");
            assertThat(show(c, "default_transaction_read_only")).isEqualTo("on");
            c.setReadOnly(false);
            assertThat(show(c, "search_path")).isEqualTo("pg_catalog");
            assertThat(show(c, "default_transaction_read_only")).as("the primary gets the options as given").isEqualTo("off");
        }
    }

    @Test
    void optionsEndingInABackslashStillGiveAReadOnlyReplicaSession() throws SQLException {
        // The server would read the backslash as escaping the space before pgrepl's own option:
        // pgrepl then leaves the option out and sets the session read-only by statement.
        Properties props = cluster.credentials();
        props.setProperty("options", "-c search_path=pg_catalog\\");
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl(), props)) {
            c.setReadOnly(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("served by a replica").isTrue();
            }
            assertThat(show(c, "default_transaction_read_only")).isEqualTo("on");
        }
    }
}
