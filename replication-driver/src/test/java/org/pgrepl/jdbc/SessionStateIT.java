package org.pgrepl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.postgresql.jdbc.PgConnection;

/** Session state set through the JDBC API holds on whichever physical connection serves the next statement. */
@ExtendWith(PgClusterExtension.class)
class SessionStateIT {
    @Test
    void everyPieceOfSessionStateIsCarriedAcrossASwitch(EmbeddedCluster cluster) throws SQLException {
        var executor = Executors.newSingleThreadExecutor();
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl(), cluster.credentials())) {
            Served.by(c); // primary opened first, with defaults
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setSchema("pg_catalog");
            c.setCatalog(cluster.database());
            c.setClientInfo("ApplicationName", "carried-app");
            c.setHoldability(java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT);
            c.setNetworkTimeout(executor, 30_000);
            c.setTypeMap(Map.of("x", String.class));
            for (boolean readOnly : new boolean[] {true, false, true}) {
                c.setReadOnly(readOnly);
                assertThat(Served.by(c).inRecovery()).isEqualTo(readOnly);
                PgConnection physical = c.unwrap(PgConnection.class);
                assertThat(physical.getAutoCommit()).isFalse();
                assertThat(physical.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
                assertThat(physical.getHoldability()).isEqualTo(java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT);
                assertThat(physical.getNetworkTimeout()).isEqualTo(30_000);
                assertThat(physical.getTypeMap()).containsKey("x");
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT current_setting('transaction_isolation'), current_schema(),"
                                + " current_setting('application_name')")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("repeatable read");
                    assertThat(rs.getString(2)).isEqualTo("pg_catalog");
                    assertThat(rs.getString(3)).isEqualTo("carried-app");
                }
                c.commit();
                // answered by the logical connection, no round trip
                assertThat(c.getAutoCommit()).isFalse();
                assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
                assertThat(c.getSchema()).isEqualTo("pg_catalog");
                assertThat(c.getCatalog()).isEqualTo(cluster.database());
                assertThat(c.getClientInfo("ApplicationName")).isEqualTo("carried-app");
                assertThat(c.getHoldability()).isEqualTo(java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT);
                assertThat(c.getNetworkTimeout()).isEqualTo(30_000);
                assertThat(c.getTypeMap()).containsKey("x");
            }
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void settingAutoCommitOnCommitsTheOpenTransaction(EmbeddedCluster cluster) throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl(), cluster.credentials())) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS session_rows (id int)");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO session_rows VALUES (42)");
            }
            c.setAutoCommit(true);
            try (Connection other = cluster.connect(cluster.primary()); Statement s = other.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM session_rows WHERE id = 42")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
        }
    }
}
