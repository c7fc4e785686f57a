package org.pgrepl.jdbc.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.pgrepl.jdbc.metrics.ClusterSnapshot;
import org.pgrepl.jdbc.metrics.HostSnapshot;
import org.pgrepl.jdbc.metrics.ReadYourWritesOutcome;
import org.pgrepl.jdbc.metrics.RouteReason;
import org.pgrepl.jdbc.metrics.RouteTarget;
import org.pgrepl.jdbc.monitor.ClusterMonitor;
import org.pgrepl.jdbc.monitor.ClusterState;
import org.pgrepl.jdbc.monitor.ClusterStats;
import org.pgrepl.jdbc.monitor.HostSnapshots;

/**
 * The {@link ClusterSnapshot}s behind {@link org.pgrepl.jdbc.metrics.PgReplMetrics}: one view per
 * cluster name, summing the clusters (one per user) that share it. Public only for the metrics
 * package; not an API.
 */
public final class ClusterViews {
    private ClusterViews() {
    }

    /** Views of the clusters whose monitor runs, by name. */
    public static List<ClusterSnapshot> running() {
        return views(true);
    }

    /** Views of every cluster used in this JVM, by name. */
    public static List<ClusterSnapshot> all() {
        return views(false);
    }

    private static List<ClusterSnapshot> views(boolean runningOnly) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (Cluster c : Cluster.all()) {
            if (!runningOnly || c.running()) {
                names.put(c.name, true);
            }
        }
        List<ClusterSnapshot> out = new ArrayList<>();
        names.keySet().stream().sorted().forEach(n -> out.add(new View(n, null)));
        return out;
    }

    /** A view of one cluster (one user's), for its MBean. */
    static ClusterSnapshot of(Cluster cluster) {
        return new View(cluster.name, cluster);
    }

    /** Live view: resolves its clusters on every call, so a cluster that appears later is included. */
    private record View(String name, Cluster only) implements ClusterSnapshot {
        private List<Cluster> clusters() {
            if (only != null) {
                return List.of(only);
            }
            List<Cluster> out = new ArrayList<>(2);
            for (Cluster c : Cluster.all()) {
                if (c.name.equals(name)) {
                    out.add(c);
                }
            }
            // The one with a running monitor first: its hosts are the ones to show.
            out.sort(Comparator.comparing((Cluster c) -> !c.running()).thenComparing(c -> c.key));
            return out;
        }

        private long sum(ToLongFunction<ClusterStats> f) {
            long n = 0;
            for (Cluster c : clusters()) {
                n += f.applyAsLong(c.stats);
            }
            return n;
        }

        @Override
        public List<HostSnapshot> hosts() {
            List<Cluster> cs = clusters();
            if (cs.isEmpty()) {
                return List.of();
            }
            Cluster first = cs.get(0);
            ClusterMonitor m = first.running() ? first.monitor : null;
            ClusterState s = m == null ? null : m.state();
            List<HostSnapshot> out = new ArrayList<>(first.hosts.size());
            for (int i = 0; i < first.hosts.size(); i++) {
                int open = 0;
                for (Cluster c : cs) {
                    open += c.openConnections(c.indexOf(first.hosts.get(i)));
                }
                boolean eligible = s != null && i != s.writable() && first.health(i).usable()
                        && s.host(i).isUsableReplica() && Cluster.withinLagOf(first.latestConfig, s.host(i));
                out.add(HostSnapshots.of(first.hosts.get(i), s == null ? null : s.host(i), eligible, open));
            }
            return out;
        }

        @Override
        public boolean writablePrimarySeen() {
            for (Cluster c : clusters()) {
                ClusterMonitor m = c.monitor;
                if (c.running() && m != null && m.state().writable() >= 0) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String writableHost() {
            for (Cluster c : clusters()) {
                ClusterMonitor m = c.monitor;
                int w = c.running() && m != null ? m.state().writable() : -1;
                if (w >= 0) {
                    return c.hosts.get(w).toString();
                }
            }
            return null;
        }

        @Override
        public long routes(RouteTarget target, RouteReason reason) {
            return sum(s -> s.routes(target, reason));
        }

        @Override
        public long readYourWritesWaits(ReadYourWritesOutcome outcome) {
            return sum(s -> s.waits(outcome));
        }

        @Override
        public double readYourWritesWaitSeconds(ReadYourWritesOutcome outcome) {
            return sum(s -> s.waitNanos(outcome)) / 1e9;
        }

        @Override
        public long promotionsSeen() {
            return sum(s -> s.promotions.sum());
        }

        @Override
        public long monitorCycles() {
            return sum(s -> s.monitorCycles.sum());
        }

        @Override
        public long monitorFailures() {
            return sum(s -> s.monitorFailures.sum());
        }

        @Override
        public long lagExclusions() {
            return sum(s -> s.lagExclusions.sum());
        }

        @Override
        public String toString() {
            return "pgrepl cluster " + name;
        }
    }
}
