package org.pgrepl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;

/** Every strategy spreads reads over both replicas. */
@ExtendWith(PgClusterExtension.class)
class ReplicaSelectionIT {
    @ParameterizedTest
    @ValueSource(strings = {"roundRobin", "random", "leastConnections", "leastLag"})
    void spreadsReadsOverBothReplicas(String strategy, EmbeddedCluster cluster) throws SQLException {
        Map<Integer, Integer> byPort = new HashMap<>();
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?replicaSelection=" + strategy,
                        cluster.credentials());
                held.add(c); // held open, so leastConnections sees them
                c.setReadOnly(true);
                Served s = Served.by(c);
                assertThat(s.inRecovery()).isTrue();
                byPort.merge(s.port(), 1, Integer::sum);
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        List<Integer> replicaPorts = cluster.replicas().stream().map(Server::port).toList();
        assertThat(byPort.keySet()).containsExactlyInAnyOrderElementsOf(replicaPorts);
        if (!strategy.equals("random") && !strategy.equals("leastLag")) {
            // round robin and least connections balance exactly
            assertThat(byPort.values()).allMatch(n -> n == 20);
        }
        byPort.values().forEach(n -> assertThat(n).as("%s share", strategy).isGreaterThanOrEqualTo(5));
    }
}
