package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/** The HA compose file under a real Docker engine; skipped, saying so, where there is none. */
class ComposeHaClusterIT {
    @Test
    void aLeaderAndTwoReplicasComeUp() throws Exception {
        ComposeEnv.assumeDocker("SKIPPED ComposeHaClusterIT: no Docker engine reachable on this machine, so"
                + " infra/docker-compose.ha.yml cannot be started here; PatroniClusterIT runs the same patroni.yml.");
        try (ComposeEnv env = ComposeEnv.prepare()) {
            run(env.adminPassword());
        }
    }

    private static void run(String password) throws Exception {
        try (ComposeContainer compose = new ComposeContainer(new File("docker-compose.ha.yml"))
                .withBuild(true)
                .withExposedService("member1", 5432, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
                .withExposedService("member2", 5432, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
                .withExposedService("member3", 5432, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))) {
            compose.start();
            int leaders = 0;
            for (String m : new String[] {"member1", "member2", "member3"}) {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + compose.getServiceHost(m, 5432) + ":"
                        + compose.getServicePort(m, 5432) + "/postgres", "admin", password);
                     ResultSet rs = c.createStatement().executeQuery("SELECT pg_is_in_recovery()")) {
                    rs.next();
                    leaders += rs.getBoolean(1) ? 0 : 1;
                }
            }
            assertThat(leaders).isEqualTo(1);
        }
    }
}
