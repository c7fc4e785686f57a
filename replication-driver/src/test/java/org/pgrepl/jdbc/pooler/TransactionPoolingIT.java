package org.pgrepl.jdbc.pooler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgBouncerFront;
import org.pgrepl.infra.PgBouncerFront.PoolMode;

/**
 * Behind PgBouncer with one server session per pool, every client shares that session: whatever
 * one client leaves on it, the next one sees. With {@code transactionPooling=true} pgrepl leaves
 * nothing (no named server-side statement, no session-level isolation, read-only or search_path)
 * and refuses what cannot hold; plain pgjdbc, used as the control, does leave state, so the
 * observer can tell.
 */
class TransactionPoolingIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws SQLException {
        boolean installed = PgBouncerFront.available();
        if (!installed) {
            System.out.println("SKIPPED TransactionPoolingIT: needs Debian package pgbouncer");
        }
        assumeTrue(installed, "needs Debian package pgbouncer");
        cluster = EmbeddedCluster.builder().replicas(1).start();
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pooled_rows (id bigserial PRIMARY KEY, v int)");
        }
        cluster.awaitReplication();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int addTenTimes(Connection c, String sql) throws SQLException {
        int sum = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < 10; i++) { // past pgjdbc's prepareThreshold of 5
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sum += rs.getInt(1);
                }
            }
        }
        return sum;
    }

    @Test
    void noNamedServerSideStatementIsLeftOnTheSharedSession() throws SQLException {
        try (PgBouncerFront front = PgBouncerFront.start(cluster, PoolMode.TRANSACTION, 1)) {
            String plain = front.pgjdbcUrl(cluster.primary());
            // Control: two plain pgjdbc clients both name their statement S_1 on the one session.
            try (Connection a = DriverManager.getConnection(plain, cluster.credentials());
                 Connection b = DriverManager.getConnection(plain, cluster.credentials())) {
                addTenTimes(a, "SELECT ?::int + 1");
                assertThatThrownBy(() -> addTenTimes(b, "SELECT ?::int + 2"))
                        .as("plain pgjdbc meets the other client's prepared statement").isInstanceOf(SQLException.class);
            }
            try (Connection reset = DriverManager.getConnection(plain, cluster.credentials()); Statement s = reset.createStatement()) {
                s.execute("DEALLOCATE ALL");
            }
            try (Connection a = DriverManager.getConnection(front.pgreplUrl(), cluster.credentials());
                 Connection b = DriverManager.getConnection(front.pgreplUrl(), cluster.credentials())) {
                assertThat(addTenTimes(a, "SELECT ?::int + 1")).isEqualTo(55);
                assertThat(addTenTimes(b, "SELECT ?::int + 2")).isEqualTo(65);
                b.setReadOnly(true);
                assertThat(addTenTimes(b, "SELECT ?::int + 3")).isEqualTo(75);
            }
        }
    }

    @Test
    void isolationIsSetPerTransactionAndNeverLeaks() throws SQLException {
        try (PgBouncerFront front = PgBouncerFront.start(cluster, PoolMode.TRANSACTION, 1);
             Connection observer = DriverManager.getConnection(front.pgjdbcUrl(cluster.primary()), cluster.credentials())) {
            try (Connection c = DriverManager.getConnection(front.pgreplUrl(), cluster.credentials())) {
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                c.setAutoCommit(false);
                assertThat(show(c, "transaction_isolation")).isEqualTo("serializable");
                c.commit();
                assertThat(show(observer, "default_transaction_isolation")).isEqualTo("read committed");
                assertThat(show(c, "transaction_isolation")).as("again in the next transaction").isEqualTo("serializable");
                c.commit();
                c.setAutoCommit(true);
                assertThatThrownBy(() -> show(c, "transaction_isolation"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("0A000");
                            assertThat(e.getMessage()).contains("transactionPooling=true", "autoCommit off");
                        });
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                assertThat(show(c, "transaction_isolation")).isEqualTo("read committed");
            }
            assertThat(show(observer, "default_transaction_isolation")).isEqualTo("read committed");
            // Control: plain pgjdbc sets isolation for the session, and the observer sees it.
            try (Connection plain = DriverManager.getConnection(front.pgjdbcUrl(cluster.primary()), cluster.credentials())) {
                plain.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                assertThat(show(observer, "default_transaction_isolation")).isEqualTo("serializable");
                plain.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        }
    }

    @Test
    void setSchemaIsRefusedAndSearchPathNeverLeaks() throws SQLException {
        try (PgBouncerFront front = PgBouncerFront.start(cluster, PoolMode.TRANSACTION, 1);
             Connection observer = DriverManager.getConnection(front.pgjdbcUrl(cluster.primary()), cluster.credentials());
             Connection c = DriverManager.getConnection(front.pgreplUrl(), cluster.credentials())) {
            String before = show(observer, "search_path");
            assertThatThrownBy(() -> c.setSchema("pg_catalog"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("0A000");
                        assertThat(e.getMessage()).contains("setSchema", "transactionPooling=true");
                    });
            show(c, "search_path");
            assertThat(show(observer, "search_path")).isEqualTo(before);
        }
    }

    @Test
    void aFallbackReadOnThePrimaryLeavesNoReadOnlySession() throws SQLException {
        try (PgBouncerFront front = PgBouncerFront.start(cluster, PoolMode.TRANSACTION, 1);
             Connection observer = DriverManager.getConnection(front.pgjdbcUrl(cluster.primary()), cluster.credentials())) {
            // Only the primary's pooler listed: every read falls back to the primary.
            String primaryOnly = "jdbc:pgrepl://127.0.0.1:" + front.port(cluster.primary()) + "/" + cluster.database()
                    + "?transactionPooling=true";
            try (Connection c = DriverManager.getConnection(primaryOnly, cluster.credentials())) {
                c.setReadOnly(true);
                c.setAutoCommit(false);
                assertThat(show(c, "transaction_read_only")).as("the transaction is begun READ ONLY").isEqualTo("on");
                assertThatThrownBy(() -> {
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("INSERT INTO pooled_rows (v) VALUES (1)");
                    }
                }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
                c.rollback();
                assertThat(show(observer, "default_transaction_read_only")).isEqualTo("off");
                c.setAutoCommit(true);
                show(c, "transaction_read_only");
                assertThat(show(observer, "default_transaction_read_only")).isEqualTo("off");
                c.setReadOnly(false);
                try (Statement s = c.createStatement()) {
                    assertThat(s.executeUpdate("INSERT INTO pooled_rows (v) VALUES (2)")).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void sessionPoolingResetsWhatAClientLeavesWhenItGoes() throws SQLException {
        // Two sessions: pgrepl's cluster monitor holds one for as long as it runs; the client the other.
        try (PgBouncerFront front = PgBouncerFront.start(cluster, PoolMode.SESSION, 2)) {
            String primaryOnly = "jdbc:pgrepl://127.0.0.1:" + front.port(cluster.primary()) + "/" + cluster.database();
            try (Connection c = DriverManager.getConnection(primaryOnly, cluster.credentials())) {
                c.setSchema("pg_catalog");
                c.setReadOnly(true); // fallback: the primary's session is put in read-only mode
                assertThat(show(c, "transaction_read_only")).isEqualTo("on");
                assertThat(show(c, "search_path")).isEqualTo("pg_catalog");
            }
            // PgBouncer's server_reset_query (DISCARD ALL) runs when a client leaves its session.
            try (Connection next = DriverManager.getConnection(front.pgjdbcUrl(cluster.primary()), cluster.credentials())) {
                assertThat(show(next, "default_transaction_read_only")).isEqualTo("off");
                assertThat(show(next, "search_path")).isNotEqualTo("pg_catalog");
            }
        }
    }
}
