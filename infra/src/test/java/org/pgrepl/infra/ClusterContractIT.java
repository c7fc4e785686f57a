package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every embedded cluster must do, whatever binaries it runs: 1 primary + 2 streaming
 * replicas, rows replicated to each, replicas in recovery and refusing writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterContractIT {
    protected EmbeddedCluster cluster;

    protected abstract EmbeddedClusterBuilder builder();

    @BeforeAll
    void startCluster() {
        cluster = builder().replicas(2).start();
        System.out.println(getClass().getSimpleName() + ": " + cluster + " running " + cluster.binariesDescription());
    }

    @AfterAll
    void closeCluster() {
        if (cluster != null) {
            var dir = cluster.primary().dataDir().getParent();
            cluster.close();
            assertThat(dir).doesNotExist();
            for (Server s : cluster.servers()) {
                assertThat(cluster.isRunning(s)).as("%s still running after close", s).isFalse();
            }
        }
    }

    @Test
    void replicasStreamFromThePrimary() throws SQLException {
        try (Connection c = cluster.connect(cluster.primary());
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT application_name, state FROM pg_stat_replication ORDER BY application_name")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + "/" + rs.getString(2)).isEqualTo("replica1/streaming");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + "/" + rs.getString(2)).isEqualTo("replica2/streaming");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aCommittedRowBecomesVisibleOnEachReplica() throws SQLException {
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE contract_rows (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO contract_rows VALUES (1, 'replicated')");
        }
        cluster.awaitReplication();
        for (Server replica : cluster.replicas()) {
            try (Connection c = cluster.connect(replica);
                 ResultSet rs = c.createStatement().executeQuery("SELECT note FROM contract_rows WHERE id = 1")) {
                assertThat(rs.next()).as("row on %s", replica).isTrue();
                assertThat(rs.getString(1)).isEqualTo("replicated");
            }
        }
    }

    @Test
    void primaryIsNotInRecoveryAndReplicasAre() throws SQLException {
        assertThat(inRecovery(cluster.primary())).isFalse();
        for (Server replica : cluster.replicas()) {
            assertThat(inRecovery(replica)).as("%s in recovery", replica).isTrue();
        }
    }

    @Test
    void aWriteOnAReplicaFailsWith25006() throws SQLException {
        try (Connection c = cluster.connect(cluster.primary())) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS contract_writes (id int)");
        }
        cluster.awaitReplication();
        for (Server replica : cluster.replicas()) {
            try (Connection c = cluster.connect(replica)) {
                assertThatThrownBy(() -> c.createStatement().execute("INSERT INTO contract_writes VALUES (1)"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            }
        }
    }

    @Test
    void serverLogsKeepNoStatementText() throws Exception {
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS contract_secret (v text UNIQUE)");
            s.execute("INSERT INTO contract_secret VALUES ('very-private-value')");
            assertThatThrownBy(() -> s.execute("INSERT INTO contract_secret VALUES ('very-private-value')"))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(Files.readString(cluster.primary().logFile())).doesNotContain("very-private-value");
    }

    private boolean inRecovery(Server server) throws SQLException {
        try (Connection c = cluster.connect(server);
             ResultSet rs = c.createStatement().executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
