package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Patroni launcher: a leader and two replicas, switchover, failover, and a rejoin. */
@Tag("patroni")
class PatroniClusterIT {
    @Test
    void startsSwitchesOverFailsOverAndRejoins() throws Exception {
        String missing = PatroniCluster.missing();
        if (missing != null) {
            System.out.println("SKIPPED PatroniClusterIT: " + missing);
        }
        assumeTrue(missing == null, missing);
        try (PatroniCluster c = PatroniCluster.start(3, true)) {
            assertThat(c.roles()).hasSize(3).containsValue("leader");
            String first = c.leader();
            String second = c.switchover();
            assertThat(second).isNotEqualTo(first);
            c.awaitHealthy(Duration.ofSeconds(60));
            // To a named member that is not the synchronous standby, which Patroni alone would refuse.
            String asyncReplica = c.roles().entrySet().stream().filter(e -> e.getValue().equals("replica"))
                    .map(java.util.Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(c.switchover(asyncReplica)).as("switchover to a named member").isEqualTo(asyncReplica);
            c.awaitHealthy(Duration.ofSeconds(60));
            assertThat(c.roles()).as("synchronous mode back on").containsValue("sync_standby");
            String killed = c.failover();
            assertThat(killed).isEqualTo(asyncReplica);
            assertThat(c.leader()).isNotEqualTo(asyncReplica);
            c.startMember(c.member(killed));
            c.awaitHealthy(Duration.ofSeconds(90));
            assertThat(c.roles()).hasSize(3);
        }
    }
}
