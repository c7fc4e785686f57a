package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension hands every test the same running 1 + 2 cluster. */
@ExtendWith(PgClusterExtension.class)
class PgClusterExtensionIT {
    private static EmbeddedCluster fromBeforeAll;

    @BeforeAll
    static void remember(EmbeddedCluster cluster) {
        fromBeforeAll = cluster;
    }

    @Test
    void injectsARunningClusterWithTwoReplicas(EmbeddedCluster cluster) throws SQLException {
        assertThat(cluster).isSameAs(fromBeforeAll);
        assertThat(cluster.replicas()).hasSize(2);
        try (Connection c = cluster.connect(cluster.replicas().get(0));
             ResultSet rs = c.createStatement().executeQuery("SELECT pg_is_in_recovery(), inet_server_port()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getInt(2)).isEqualTo(cluster.replicas().get(0).port());
        }
    }

    @Test
    void thePgreplUrlListsThePrimaryFirst(EmbeddedCluster cluster) {
        assertThat(cluster.pgreplUrl()).startsWith("jdbc:pgrepl://" + cluster.primary().hostAndPort() + ",")
                .endsWith("/db_patient_health_record").doesNotContain(cluster.password());
    }
}
