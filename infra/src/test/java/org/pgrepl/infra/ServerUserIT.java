package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** PostgreSQL refuses to run as root: the launcher runs its servers as an unprivileged user. */
class ServerUserIT {
    @Test
    void serversRunAsAnUnprivilegedUserWhenTheJvmIsRoot() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().replicas(0).start()) {
            Path dataDir = cluster.primary().dataDir();
            String owner = Files.getOwner(dataDir).getName();
            if (ServerUser.jvmIsRoot()) {
                assertThat(owner).isNotEqualTo("root");
            } else {
                assertThat(owner).isEqualTo(System.getProperty("user.name"));
            }
            try (Connection c = cluster.connect(cluster.primary());
                 ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void aMissingUnprivilegedUserGivesAClearError() {
        assumeTrue(ServerUser.jvmIsRoot(), "this JVM is not root: no user switch happens, nothing to check");
        assertThatThrownBy(() -> EmbeddedCluster.builder().osUser("pgrepl-no-such-user").replicas(0).start())
                .isInstanceOf(ClusterStartException.class)
                .hasMessageContaining("refuses to run as root")
                .hasMessageContaining("'pgrepl-no-such-user'")
                .hasMessageContaining("useradd")
                .hasMessageContaining(ServerUser.ENV);
    }
}
