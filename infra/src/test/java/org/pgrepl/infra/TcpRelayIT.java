package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The relay forwards, stalls and cuts real PostgreSQL connections. */
@ExtendWith(PgClusterExtension.class)
class TcpRelayIT {
    @Test
    void forwardsStallsAndCuts(EmbeddedCluster cluster) throws SQLException {
        Server replica = cluster.replicas().get(0);
        TcpRelay relay = cluster.relay(replica);
        assertThat(cluster.serverAt(relay.port())).isEqualTo(replica);
        assertThat(cluster.serverAt(replica.port())).isEqualTo(replica);
        String url = "jdbc:postgresql://" + relay.hostAndPort() + "/" + cluster.database();
        Properties props = cluster.credentials();
        props.setProperty("socketTimeout", "2");
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "3");
        try (Connection c = DriverManager.getConnection(url, props)) {
            assertThat(port(c)).isEqualTo(replica.port());
            relay.stall();
            try {
                // A stalled network: the query hangs until pgjdbc's socketTimeout ends it.
                assertThatThrownBy(() -> port(c)).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).startsWith("08"));
            } finally {
                relay.heal();
            }
        }
        try (Connection c = DriverManager.getConnection(url, props)) {
            assertThat(port(c)).isEqualTo(replica.port());
            relay.cut();
            assertThatThrownBy(() -> port(c)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).startsWith("08"));
            assertThatThrownBy(() -> DriverManager.getConnection(url, props)).isInstanceOf(SQLException.class);
        } finally {
            relay.heal();
        }
        try (Connection c = DriverManager.getConnection(url, props)) {
            assertThat(port(c)).isEqualTo(replica.port());
        }
    }

    private static int port(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
