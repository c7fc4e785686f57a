package org.pgrepl.jdbc.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.jdbc.failure.Admin;

/**
 * Issue 15.2 and 15.7: a held statement runs under the connection's state at the moment it
 * executes (DESIGN, "Statements follow the connection"), for all 4 x 4 combinations of route and
 * autocommit it was created and executed under; state set after a statement was created reaches it.
 */
@ExtendWith(PgClusterExtension.class)
class StatementsFollowTheConnectionIT {
    private static EmbeddedCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void setUp(EmbeddedCluster c) throws SQLException {
        cluster = c;
        admin = new Admin(c);
        try (Connection conn = c.connect(c.primary()); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS follow_rows (id serial PRIMARY KEY, tag text)");
            s.execute("CREATE SCHEMA IF NOT EXISTS follow_s1");
        }
        c.awaitReplication();
    }

    private static Connection open() throws SQLException {
        return DriverManager.getConnection(cluster.pgreplUrl(), cluster.credentials());
    }

    @Test
    void aHeldStatementRunsUnderTheStateAtExecutionForAll16Combinations() throws Exception {
        boolean[] bools = {false, true};
        int combos = 0;
        for (boolean createdReadOnly : bools) {
            for (boolean createdAutoCommit : bools) {
                for (boolean runReadOnly : bools) {
                    for (boolean runAutoCommit : bools) {
                        check(createdReadOnly, createdAutoCommit, runReadOnly, runAutoCommit);
                        combos++;
                    }
                }
            }
        }
        assertThat(combos).isEqualTo(16);
    }

    private static void check(boolean createdReadOnly, boolean createdAutoCommit, boolean runReadOnly,
            boolean runAutoCommit) throws Exception {
        String tag = UUID.randomUUID().toString();
        String combo = "created " + (createdReadOnly ? "read-only" : "read-write") + "/autoCommit=" + createdAutoCommit
                + ", run " + (runReadOnly ? "read-only" : "read-write") + "/autoCommit=" + runAutoCommit;
        try (Connection c = open()) {
            c.setAutoCommit(createdAutoCommit);
            c.setReadOnly(createdReadOnly);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO follow_rows (tag) VALUES (?)");
                 PreparedStatement where = c.prepareStatement("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")) {
                c.setAutoCommit(runAutoCommit);
                c.setReadOnly(runReadOnly);
                try (ResultSet rs = where.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as(combo + ": served by a replica").isEqualTo(runReadOnly);
                    assertThat(rs.getString(2)).as(combo + ": read-only transaction").isEqualTo(runReadOnly ? "on" : "off");
                }
                if (!runAutoCommit) {
                    c.commit();
                }
                insert.setString(1, tag);
                if (runReadOnly) {
                    assertThatThrownBy(insert::executeUpdate).as(combo)
                            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
                    if (!runAutoCommit) {
                        c.rollback();
                    }
                    assertThat(admin.rowsOnPrimary("follow_rows", tag)).as(combo + ": nothing committed").isZero();
                } else {
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                    if (!runAutoCommit) {
                        assertThat(admin.rowsOnPrimary("follow_rows", tag)).as(combo + ": not before commit").isZero();
                        c.commit();
                    }
                    assertThat(admin.rowsOnPrimary("follow_rows", tag)).as(combo + ": committed").isEqualTo(1);
                }
            }
        }
    }

    @Test
    void aHeldInsertAfterSetAutoCommitTrueIsCommitted() throws Exception {
        String tag = UUID.randomUUID().toString();
        try (Connection c = open()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO follow_rows (tag) VALUES (?)")) {
                c.setAutoCommit(true);
                insert.setString(1, tag);
                insert.executeUpdate();
            }
        }
        assertThat(admin.rowsOnPrimary("follow_rows", tag)).isEqualTo(1);
    }

    @Test
    void schemaAndIsolationSetAfterCreationReachTheStatement() throws SQLException {
        try (Connection c = open(); Statement st = c.createStatement()) {
            c.setSchema("follow_s1");
            try (ResultSet rs = st.executeQuery("SELECT current_schema()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("follow_s1");
            }
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            try (ResultSet rs = st.executeQuery("SHOW transaction_isolation")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("serializable");
            }
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (ResultSet rs = st.executeQuery("SELECT current_schema(), current_setting('transaction_isolation'),"
                    + " pg_is_in_recovery()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("follow_s1");
                assertThat(rs.getString(2)).isEqualTo("repeatable read");
                assertThat(rs.getBoolean(3)).isTrue();
            }
        }
    }

    @Test
    void aStatementBatchFollowsTheConnection() throws Exception {
        String tag = UUID.randomUUID().toString();
        try (Connection c = open()) {
            c.setReadOnly(true);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO follow_rows (tag) VALUES (?)")) {
                insert.setString(1, tag);
                insert.addBatch();
                insert.setString(1, tag);
                insert.addBatch();
                c.setReadOnly(false);
                assertThat(insert.executeBatch()).containsExactly(1, 1);
            }
        }
        assertThat(admin.rowsOnPrimary("follow_rows", tag)).isEqualTo(2);
    }
}
