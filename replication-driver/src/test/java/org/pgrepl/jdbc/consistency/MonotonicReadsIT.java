package org.pgrepl.jdbc.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/**
 * Monotonic reads: a connection that read a value on one replica never reads an older one after
 * that replica dies and another, lagging one takes over.
 */
class MonotonicReadsIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(2).start();
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE mono (id int PRIMARY KEY, v int)");
            s.execute("INSERT INTO mono VALUES (1, 1)");
        }
        cluster.awaitReplication();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static int[] read(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v, inet_server_port() FROM mono")) {
            rs.next();
            return new int[] {rs.getInt(1), rs.getInt(2)};
        }
    }

    @Test
    void aReadNeverGoesBackInTimeWhenItsReplicaIsLost() throws Exception {
        Server lagging = cluster.server("replica2");
        cluster.pauseReplay(lagging);
        try (Connection w = cluster.connect(cluster.primary()); Statement s = w.createStatement()) {
            s.execute("UPDATE mono SET v = 2");
        }
        cluster.awaitReplication(cluster.server("replica1"));
        String url = cluster.pgreplUrl() + "?readConsistency=session&monitorInterval=200ms&readYourWritesTimeout=1s";
        // Find a connection whose reads land on the up-to-date replica.
        Connection reader = null;
        for (int i = 0; i < 20 && reader == null; i++) {
            Connection c = DriverManager.getConnection(url, cluster.credentials());
            c.setReadOnly(true);
            int[] r = read(c);
            if (r[1] == cluster.server("replica1").port()) {
                assertThat(r[0]).isEqualTo(2);
                reader = c;
            } else {
                assertThat(r[0]).as("the lagging replica still shows the old value").isEqualTo(1);
                c.close();
            }
        }
        assertThat(reader).as("a connection on replica1").isNotNull();
        try {
            cluster.kill(cluster.server("replica1"));
            for (int i = 0; i < 5; i++) {
                int[] r = read(reader);
                assertThat(r[0]).as("read %d, served on port %d", i, r[1]).isEqualTo(2);
                assertThat(r[1]).isNotEqualTo(lagging.port());
            }
        } finally {
            reader.close();
            cluster.resumeReplay(lagging);
        }
    }
}
