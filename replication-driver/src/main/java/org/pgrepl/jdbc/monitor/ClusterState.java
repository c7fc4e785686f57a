package org.pgrepl.jdbc.monitor;

import java.util.List;

/**
 * One consistent snapshot of the cluster, as the monitor's last cycle saw it. Immutable, so
 * routing reads it with one volatile load and no lock.
 *
 * @param hosts            per host, in URL order
 * @param writable         index of the host that takes writes, or -1 when none can be told
 * @param ambiguousPrimary two hosts accept writes on the same timeline: writes must not guess
 * @param primaryLsn       the writable host's current WAL position
 * @param systemIdentifier the cluster's system identifier (0 until known)
 * @param timeline         the writable host's timeline (0 until known)
 * @param takenAtNanos     {@link System#nanoTime()} when the cycle finished
 * @param cycle            how many cycles have completed
 */
public record ClusterState(List<HostState> hosts, int writable, boolean ambiguousPrimary, long primaryLsn, long systemIdentifier, int timeline,
                           long takenAtNanos, long cycle) {
    static ClusterState initial(int hostCount) {
        return new ClusterState(java.util.Collections.nCopies(hostCount, HostState.unknown()), -1, false, Lsn.NONE, 0, 0,
                System.nanoTime(), 0);
    }

    /**
     * This state as the first of a new monitor: the roles and the time they were seen stay; the
     * cycle count restarts at 1, so the successor's cycles (and waits for a fresh one) count from
     * here. The replicas' replay positions do not stay: a replica rebuilt or rewound while nothing
     * watched may be behind them, and a read-your-writes check would take an old position for a
     * replica's own; on a seed that check asks the replica (one round trip).
     */
    ClusterState asSeed() {
        List<HostState> seeded = new java.util.ArrayList<>(hosts.size());
        for (HostState h : hosts) {
            seeded.add(new HostState(h.role(), h.lagBytes(), h.lagMillis(), Lsn.NONE, h.streaming(), h.timeline(), h.problem()));
        }
        return new ClusterState(List.copyOf(seeded), writable, ambiguousPrimary, primaryLsn, systemIdentifier, timeline,
                takenAtNanos, 1);
    }

    /** The state of host {@code i}. */
    public HostState host(int i) {
        return hosts.get(i);
    }
}
