package org.pgrepl.jdbc.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;
import org.pgrepl.jdbc.metrics.ClusterSnapshot;
import org.pgrepl.jdbc.metrics.PgReplMetrics;

/**
 * A transaction open on the primary while a replica is promoted and the old primary is left
 * running (two hosts accept writes; the higher timeline is the cluster's, DESIGN "Promotion").
 * Once the monitor has seen the promotion, committing the transaction on the old primary would
 * commit it on a timeline the cluster has left: {@code commit()} returned normally and the rows
 * were on no host the cluster serves (found by the model test's promotion property, seed
 * 7980693483568765128, invariant 2). The transaction is lost instead: rolled back on the old
 * primary, 08006 until the application ends it, and the next one runs on the new primary.
 * Each test promotes, so each has a cluster of its own.
 */
class TransactionAcrossAPromotionIT {

    private static long rows(EmbeddedCluster cluster, Server server, String id) throws SQLException {
        try (Connection c = cluster.connect(server); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM across_rows WHERE id = '" + id + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static EmbeddedCluster start() throws SQLException {
        EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(1).start();
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE across_rows (id text PRIMARY KEY)");
        }
        cluster.awaitReplication();
        return cluster;
    }

    /** Promotes the replica, the old primary left running, and waits until pgrepl's monitor has seen it. */
    private static void promote(EmbeddedCluster cluster, Server replica) {
        promote(cluster, replica, replica.hostAndPort());
    }

    private static void promote(EmbeddedCluster cluster, Server replica, String asListed) {
        cluster.promote(replica);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ClusterSnapshot c : PgReplMetrics.clusters()) {
                if (asListed.equals(c.writableHost())) {
                    return true;
                }
            }
            return false;
        });
    }

    /** A connection with autoCommit off that inserted 'a' on the primary, then the replica was promoted (and seen). */
    private static Connection transactionAcrossAPromotion(EmbeddedCluster cluster, Server replica) throws SQLException {
        Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?monitorInterval=100ms", cluster.credentials());
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO across_rows VALUES ('a')");
        }
        promote(cluster, replica);
        return c;
    }

    @Test
    void aCommitAfterThePromotionFailsAndNothingOfTheTransactionCommits() throws Exception {
        try (EmbeddedCluster cluster = start()) {
            Server old = cluster.primary();
            Server replica = cluster.replicas().get(0);
            try (Connection c = transactionAcrossAPromotion(cluster, replica); Statement s = c.createStatement()) {

                assertThatThrownBy(c::commit)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));
                s.executeUpdate("INSERT INTO across_rows VALUES ('b')");
                c.commit();
            }
            assertThat(rows(cluster, replica, "a") + rows(cluster, old, "a")).as("nothing of the lost transaction").isZero();
            assertThat(rows(cluster, replica, "b")).as("the next transaction, on the new primary").isOne();
            assertThat(rows(cluster, old, "b")).isZero();
        }
    }

    @Test
    void aStatementAfterThePromotionFailsAndSetAutoCommitCommitsNothing() throws Exception {
        try (EmbeddedCluster cluster = start()) {
            Server old = cluster.primary();
            Server replica = cluster.replicas().get(0);
            try (Connection c = transactionAcrossAPromotion(cluster, replica); Statement s = c.createStatement()) {

                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO across_rows VALUES ('a2')"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));
                assertThatThrownBy(() -> c.setAutoCommit(true))
                        .as("setAutoCommit(true) would commit it: it fails and ends it, as commit() does")
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));
                c.setAutoCommit(true);
                s.executeUpdate("INSERT INTO across_rows VALUES ('b')");
            }
            for (String id : new String[] {"a", "a2"}) {
                assertThat(rows(cluster, replica, id) + rows(cluster, old, id)).as("nothing of the lost transaction").isZero();
            }
            assertThat(rows(cluster, replica, "b")).as("autocommit, on the new primary").isOne();
        }
    }

    /**
     * The promoted host stops answering while the old primary, left running, still does: the
     * monitor then sees one host out of recovery, on the old timeline. Before, that made it the
     * writable host again and writes committed there, on the timeline the cluster had left; the
     * monitor keeps the highest timeline it saw take writes, and such a host never takes them again.
     */
    @Test
    void whenThePromotedHostStopsAnsweringWritesFailRatherThanGoBackToTheOldTimeline() throws Exception {
        try (EmbeddedCluster cluster = start()) {
            Server old = cluster.primary();
            Server replica = cluster.replicas().get(0);
            String url = cluster.pgreplUrlThroughRelays() + "?monitorInterval=100ms&connectTimeout=2";
            try (Connection keeper = DriverManager.getConnection(url, cluster.credentials());
                 Statement s = keeper.createStatement()) {
                s.executeUpdate("INSERT INTO across_rows VALUES ('before')");
                promote(cluster, replica, cluster.relay(replica).hostAndPort());
                cluster.relay(replica).cut();
                Thread.sleep(1_000); // cycles that see only the old primary answer
                try (Connection c = DriverManager.getConnection(url, cluster.credentials())) {
                    assertThatThrownBy(() -> {
                        try (Statement w = c.createStatement()) { // creation opens the route
                            w.executeUpdate("INSERT INTO across_rows VALUES ('cut')");
                        }
                    }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).startsWith("08"));
                } finally {
                    cluster.relay(replica).heal();
                }
            }
            assertThat(rows(cluster, old, "cut")).as("nothing written on the timeline the cluster left").isZero();
        }
    }
}
