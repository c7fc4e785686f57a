package org.pgrepl.jdbc.monitor;

import java.util.List;
import org.pgrepl.jdbc.metrics.ClusterSnapshot;
import org.pgrepl.jdbc.metrics.HostSnapshot;
import org.pgrepl.jdbc.metrics.ReadYourWritesOutcome;
import org.pgrepl.jdbc.metrics.RouteReason;
import org.pgrepl.jdbc.metrics.RouteTarget;

/** {@link ClusterMXBean} over a cluster's {@link ClusterSnapshot}. */
public final class ClusterMXBeanImpl implements ClusterMXBean {
    private final ClusterSnapshot cluster;

    /** @param cluster the live view of the cluster */
    public ClusterMXBeanImpl(ClusterSnapshot cluster) {
        this.cluster = cluster;
    }

    @Override
    public String[] getHosts() {
        return cluster.hosts().stream().map(HostSnapshot::address).toArray(String[]::new);
    }

    @Override
    public String[] getRoles() {
        return cluster.hosts().stream().map(HostSnapshot::role).toArray(String[]::new);
    }

    @Override
    public long[] getLagBytes() {
        return cluster.hosts().stream().mapToLong(HostSnapshot::lagBytes).toArray();
    }

    @Override
    public long[] getLagMillis() {
        return cluster.hosts().stream()
                .mapToLong(h -> Double.isNaN(h.lagSeconds()) ? -1 : Math.round(h.lagSeconds() * 1000)).toArray();
    }

    @Override
    public boolean[] getUp() {
        List<HostSnapshot> hosts = cluster.hosts();
        boolean[] up = new boolean[hosts.size()];
        for (int i = 0; i < up.length; i++) {
            up[i] = hosts.get(i).up();
        }
        return up;
    }

    @Override
    public boolean[] getEligible() {
        List<HostSnapshot> hosts = cluster.hosts();
        boolean[] eligible = new boolean[hosts.size()];
        for (int i = 0; i < eligible.length; i++) {
            eligible[i] = hosts.get(i).eligible();
        }
        return eligible;
    }

    @Override
    public int[] getOpenConnections() {
        return cluster.hosts().stream().mapToInt(HostSnapshot::openConnections).toArray();
    }

    @Override
    public String getWritableHost() {
        String w = cluster.writableHost();
        return w == null ? "" : w;
    }

    @Override
    public long getReplicaRoutes() {
        return cluster.routes(RouteTarget.REPLICA);
    }

    @Override
    public long getPrimaryRoutes() {
        return cluster.routes(RouteTarget.PRIMARY);
    }

    @Override
    public long getFallbacks() {
        long n = 0;
        for (RouteReason r : RouteReason.values()) {
            if (r != RouteReason.WRITE && r != RouteReason.TRANSACTION_PINNED && r != RouteReason.READ_ONLY) {
                n += cluster.routes(RouteTarget.PRIMARY, r);
            }
        }
        return n;
    }

    @Override
    public long getReadYourWritesWaits() {
        long n = 0;
        for (ReadYourWritesOutcome o : ReadYourWritesOutcome.values()) {
            n += cluster.readYourWritesWaits(o);
        }
        return n;
    }

    @Override
    public long getReadYourWritesTimeouts() {
        return cluster.readYourWritesWaits(ReadYourWritesOutcome.TIMED_OUT)
                + cluster.readYourWritesWaits(ReadYourWritesOutcome.FELL_BACK);
    }

    @Override
    public long getLagExclusions() {
        return cluster.lagExclusions();
    }

    @Override
    public long getMonitorCycles() {
        return cluster.monitorCycles();
    }

    @Override
    public long getMonitorFailures() {
        return cluster.monitorFailures();
    }

    @Override
    public long getPromotionsSeen() {
        return cluster.promotionsSeen();
    }
}
