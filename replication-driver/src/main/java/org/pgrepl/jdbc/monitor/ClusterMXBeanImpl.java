package org.pgrepl.jdbc.monitor;

import java.util.List;

/** {@link ClusterMXBean} over a monitor's state and a cluster's counters. */
public final class ClusterMXBeanImpl implements ClusterMXBean {
    private final List<String> hosts;
    private final ClusterMonitor monitor;
    private final ClusterStats stats;

    /**
     * @param hosts   {@code host:port} in URL order
     * @param monitor the cluster's monitor
     * @param stats   the cluster's counters
     */
    public ClusterMXBeanImpl(List<String> hosts, ClusterMonitor monitor, ClusterStats stats) {
        this.hosts = List.copyOf(hosts);
        this.monitor = monitor;
        this.stats = stats;
    }

    @Override
    public String[] getHosts() {
        return hosts.toArray(String[]::new);
    }

    @Override
    public String[] getRoles() {
        return monitor.state().hosts().stream().map(h -> h.role().name()).toArray(String[]::new);
    }

    @Override
    public long[] getLagBytes() {
        return monitor.state().hosts().stream().mapToLong(HostState::lagBytes).toArray();
    }

    @Override
    public long[] getLagMillis() {
        return monitor.state().hosts().stream().mapToLong(HostState::lagMillis).toArray();
    }

    @Override
    public boolean[] getUp() {
        List<HostState> states = monitor.state().hosts();
        boolean[] up = new boolean[states.size()];
        for (int i = 0; i < up.length; i++) {
            HostState.Role r = states.get(i).role();
            up[i] = r == HostState.Role.PRIMARY || r == HostState.Role.REPLICA;
        }
        return up;
    }

    @Override
    public String getWritableHost() {
        int w = monitor.state().writable();
        return w < 0 ? "" : hosts.get(w);
    }

    @Override
    public long getReplicaRoutes() {
        return stats.replicaRoutes.sum();
    }

    @Override
    public long getPrimaryRoutes() {
        return stats.primaryRoutes.sum();
    }

    @Override
    public long getFallbacks() {
        return stats.fallbacks.sum();
    }

    @Override
    public long getReadYourWritesWaits() {
        return stats.readYourWritesWaits.sum();
    }

    @Override
    public long getReadYourWritesTimeouts() {
        return stats.readYourWritesTimeouts.sum();
    }

    @Override
    public long getLagExclusions() {
        return stats.lagExclusions.sum();
    }

    @Override
    public long getMonitorCycles() {
        return monitor.state().cycle();
    }
}
