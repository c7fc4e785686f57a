package org.pgrepl.jdbc.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a stopped monitor's last state passes on to its successor (issue 18's cold start). */
class ClusterStateSeedTest {
    @Test
    void aSeedKeepsTheRolesButNotTheReplayPositions() {
        ClusterState last = new ClusterState(List.of(
                new HostState(HostState.Role.PRIMARY, 0, 0, 0x5000, false, 3, null),
                new HostState(HostState.Role.REPLICA, 16, 2, 0x4ff0, true, 0, null)),
                0, false, 0x5000, 42, 3, System.nanoTime(), 17);
        ClusterState seed = last.asSeed();
        assertThat(seed.cycle()).isEqualTo(1);
        assertThat(seed.writable()).isZero();
        assertThat(seed.timeline()).isEqualTo(3);
        assertThat(seed.host(1).role()).isEqualTo(HostState.Role.REPLICA);
        assertThat(seed.host(1).streaming()).isTrue();
        // A replica may have been rebuilt or rewound while nothing watched: a read-your-writes
        // check on the seed must ask the replica, not trust the old position.
        assertThat(seed.host(1).replayLsn()).isEqualTo(Lsn.NONE);
        assertThat(seed.host(0).replayLsn()).isEqualTo(Lsn.NONE);
    }
}
