package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher's fault controls do what they say, on a private cluster per test. */
class FaultControlsIT {
    private EmbeddedCluster cluster;

    @BeforeEach
    void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(2).start();
        try (Connection c = cluster.connect(cluster.primary())) {
            c.createStatement().execute("CREATE TABLE fault_rows (id int PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aKilledReplicaRestartsAndCatchesUpWithNoRowLost() throws SQLException {
        Server replica = cluster.server("replica1");
        insert(1, 100);
        cluster.kill(replica);
        assertThat(cluster.isRunning(replica)).isFalse();
        assertThatThrownBy(() -> cluster.connect(replica)).isInstanceOf(SQLException.class);
        // Written while the replica is dead: its slot keeps this WAL on the primary.
        insert(101, 5000);
        try (Connection c = cluster.connect(cluster.primary());
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT active, restart_lsn IS NOT NULL FROM pg_replication_slots WHERE slot_name = 'pgrepl_replica1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).as("slot inactive while the replica is dead").isFalse();
            assertThat(rs.getBoolean(2)).as("slot still reserves WAL").isTrue();
        }
        cluster.start(replica);
        cluster.awaitReplication(replica);
        assertThat(count(replica)).isEqualTo(5000);
        assertThat(count(cluster.primary())).isEqualTo(5000);
    }

    @Test
    void pausedReplayHoldsAReplicaBackAndResumeCatchesItUp() throws SQLException {
        Server paused = cluster.server("replica1");
        Server other = cluster.server("replica2");
        insert(1, 10);
        cluster.awaitReplication();
        cluster.pauseReplay(paused);
        insert(11, 500);
        cluster.awaitReplication(other);
        assertThat(count(other)).isEqualTo(500);
        assertThat(count(paused)).as("paused replica does not move").isEqualTo(10);
        sleep(Duration.ofMillis(500));
        assertThat(count(paused)).as("still paused").isEqualTo(10);
        cluster.resumeReplay(paused);
        cluster.awaitReplication(paused);
        assertThat(count(paused)).isEqualTo(500);
    }

    @Test
    void promoteTurnsAReplicaIntoAWritablePrimary() throws SQLException {
        insert(1, 50);
        cluster.awaitReplication();
        Server oldPrimary = cluster.primary();
        Server promoted = cluster.server("replica2");
        cluster.stop(oldPrimary);
        cluster.promote(promoted);
        assertThat(cluster.primary()).isEqualTo(promoted);
        try (Connection c = cluster.connect(promoted);
             ResultSet rs = c.createStatement().executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isFalse();
        }
        insert(51, 60);
        assertThat(count(promoted)).isEqualTo(60);

        // The remaining replica follows the new primary onto its timeline.
        Server follower = cluster.server("replica1");
        cluster.repoint(follower, promoted);
        cluster.awaitReplication(follower);
        assertThat(count(follower)).isEqualTo(60);
    }

    @Test
    void stopAndRestartKeepEveryCommittedRow() throws SQLException {
        insert(1, 200);
        cluster.restart(cluster.primary());
        cluster.kill(cluster.primary());
        cluster.start(cluster.primary());
        assertThat(count(cluster.primary())).isEqualTo(200);
        cluster.awaitReplication();
        for (Server r : cluster.replicas()) {
            assertThat(count(r)).isEqualTo(200);
        }
    }

    private void insert(int from, int to) throws SQLException {
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO fault_rows SELECT generate_series(" + from + ", " + to + ")");
        }
    }

    private long count(Server server) throws SQLException {
        try (Connection c = cluster.connect(server);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM fault_rows")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
