package org.pgrepl.jdbc.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;

/**
 * Issue 14.1: a transaction lost with its connection stays lost. Before, after the primary
 * session was terminated mid-transaction, the next insert ran on a fresh connection and
 * {@code commit()} returned normally with only that insert committed: half a transaction.
 */
@ExtendWith(PgClusterExtension.class)
class LostTransactionIT {
    private static EmbeddedCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void setUp(EmbeddedCluster c) throws SQLException {
        cluster = c;
        admin = new Admin(c);
        try (Connection conn = c.connect(c.primary()); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS fault_rows (id serial PRIMARY KEY, tag text)");
        }
    }

    private static Connection open(String app) throws SQLException {
        return DriverManager.getConnection(cluster.pgreplUrl() + "?ApplicationName=" + app, cluster.credentials());
    }

    private static void insert(Connection c, String tag) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fault_rows (tag) VALUES (?)")) {
            ps.setString(1, tag);
            ps.executeUpdate();
        }
    }

    @Test
    void laterStatementsAndCommitFailUntilRollbackAndNothingOfTheTransactionCommits() throws Exception {
        String app = Admin.appName("lost-tx");
        String tag = UUID.randomUUID().toString();
        try (Connection c = open(app)) {
            c.setAutoCommit(false);
            insert(c, tag); // A
            assertThat(admin.terminate(cluster.primary(), app)).isEqualTo(1);
            assertThatThrownBy(() -> insert(c, tag)) // B: meets the dead session
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).matches("08.*|57P0.*"));
            assertThatThrownBy(() -> insert(c, tag)) // C: would start a new transaction silently
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08006");
                        assertThat(e.getMessage()).contains("transaction was lost");
                    });
            assertThatThrownBy(c::commit)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));
            assertThat(admin.rowsOnPrimary("fault_rows", tag)).as("nothing of the lost transaction").isZero();
            assertThat(c.isClosed()).isFalse();
            // The failed commit ended it: the connection goes on with a new transaction.
            insert(c, tag);
            c.commit();
            assertThat(admin.rowsOnPrimary("fault_rows", tag)).isEqualTo(1);
        }
    }

    @Test
    void rollbackEndsTheLostTransaction() throws Exception {
        String app = Admin.appName("lost-tx-rb");
        String tag = UUID.randomUUID().toString();
        try (Connection c = open(app)) {
            c.setAutoCommit(false);
            insert(c, tag);
            admin.terminate(cluster.primary(), app);
            assertThatThrownBy(() -> insert(c, tag)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> c.setAutoCommit(true)) // would commit the rest of it
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));
            c.rollback();
            insert(c, tag);
            c.commit();
            assertThat(admin.rowsOnPrimary("fault_rows", tag)).isEqualTo(1);
        }
    }

    @Test
    void aConnectionLostWhenCommitIsSentReportsTheOutcomeUnknown() throws Exception {
        String app = Admin.appName("lost-commit");
        String tag = UUID.randomUUID().toString();
        try (Connection c = open(app)) {
            c.setAutoCommit(false);
            insert(c, tag);
            admin.terminate(cluster.primary(), app);
            assertThatThrownBy(c::commit)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08007"));
            assertThat(admin.rowsOnPrimary("fault_rows", tag)).isZero();
            insert(c, tag);
            c.commit();
            assertThat(admin.rowsOnPrimary("fault_rows", tag)).isEqualTo(1);
        }
    }

    @Test
    void aTerminatedReadOnlyTransactionIsLostToo() throws Exception {
        String app = Admin.appName("lost-ro");
        try (Connection c = open(app)) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1").close();
                int killed = 0;
                for (var r : cluster.replicas()) {
                    killed += admin.terminate(r, app);
                }
                assertThat(killed).isEqualTo(1);
                assertThatThrownBy(() -> s.executeQuery("SELECT 2")).isInstanceOf(SQLException.class);
                // A new snapshot would silently break the repeatable-read transaction.
                assertThatThrownBy(() -> s.executeQuery("SELECT 3"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));
                c.rollback();
                s.executeQuery("SELECT 4").close();
                c.commit();
            }
        }
    }

    /**
     * Found by the model test (PoolModelIT, seed 6763532024089048000): a primary session opened
     * only to place the read floor (the old one was terminated) stayed in autocommit while the
     * connection was not, so the application's rollback() failed with 25P01; HikariCP's rollback
     * on return then skipped its reset, and the next borrower's autocommit INSERT sat uncommitted.
     */
    @Test
    void aPrimarySessionOpenedForTheReadFloorFollowsTheConnectionsAutoCommit() throws Exception {
        String app = Admin.appName("floor-session");
        String tag = UUID.randomUUID().toString();
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?readConsistency=session&ApplicationName="
                + app, cluster.credentials())) {
            c.setAutoCommit(false);
            insert(c, tag);
            c.commit();
            assertThat(admin.terminate(cluster.primary(), app)).isEqualTo(1);
            c.setReadOnly(true);
            try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM fault_rows WHERE tag = '" + tag + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("read-your-writes through a fresh primary position").isEqualTo(1);
            }
            c.commit();
            c.setReadOnly(false);
            c.rollback(); // lands on the session opened for the floor: nothing to roll back, no 25P01
            insert(c, tag);
            c.rollback();
            assertThat(admin.rowsOnPrimary("fault_rows", tag)).as("the insert ran in a transaction").isEqualTo(1);
            insert(c, tag);
            c.commit();
            assertThat(admin.rowsOnPrimary("fault_rows", tag)).isEqualTo(2);
        }
    }
}
