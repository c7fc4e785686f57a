package org.pgrepl.jdbc.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;

/**
 * Issue 15.6: {@code setSchema} and {@code setClientInfo} inside a transaction that is rolled
 * back are undone, as with pgjdbc; {@code getSchema()}, the primary and the replica agree.
 * Before, they gave three different answers.
 */
@ExtendWith(PgClusterExtension.class)
class SessionStateRollbackIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void setUp(EmbeddedCluster c) throws SQLException {
        cluster = c;
        try (Connection conn = c.connect(c.primary()); Statement s = conn.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS rollback_s1");
        }
        c.awaitReplication();
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void setSchemaInARolledBackTransactionIsUndoneEverywhere() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl(), cluster.credentials())) {
            c.setAutoCommit(false);
            one(c, "SELECT 1");
            c.setSchema("rollback_s1");
            assertThat(one(c, "SELECT current_schema()")).isEqualTo("rollback_s1");
            c.rollback();
            assertThat(c.getSchema()).isEqualTo("public");
            assertThat(one(c, "SELECT current_schema()")).as("primary").isEqualTo("public");
            c.commit();
            c.setReadOnly(true);
            assertThat(one(c, "SELECT current_schema()")).as("replica").isEqualTo("public");
            assertThat(c.getSchema()).isEqualTo("public");
            c.commit();
        }
    }

    @Test
    void setSchemaInACommittedTransactionHoldsEverywhere() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl(), cluster.credentials())) {
            c.setAutoCommit(false);
            one(c, "SELECT 1");
            c.setSchema("rollback_s1");
            c.commit();
            assertThat(one(c, "SELECT current_schema()")).isEqualTo("rollback_s1");
            c.commit();
            c.setReadOnly(true);
            assertThat(one(c, "SELECT current_schema()")).isEqualTo("rollback_s1");
            c.commit();
        }
    }

    @Test
    void clientInfoInARolledBackTransactionIsUndone() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?ApplicationName=before",
                cluster.credentials())) {
            c.setAutoCommit(false);
            one(c, "SELECT 1");
            c.setClientInfo("ApplicationName", "inside");
            c.rollback();
            String server = one(c, "SHOW application_name");
            assertThat(c.getClientInfo("ApplicationName")).isEqualTo(server).isEqualTo("before");
            c.commit();
        }
    }

    @Test
    void setClientInfoWithEmptyPropertiesClearsTheApplicationNameAsPgjdbcDoes() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?ApplicationName=url-name",
                cluster.credentials())) {
            c.setClientInfo(new java.util.Properties());
            assertThat(c.getClientInfo("ApplicationName")).isEqualTo(one(c, "SHOW application_name")).isEmpty();
        }
    }
}
