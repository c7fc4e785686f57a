package org.pgrepl.jdbc.route;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.pgrepl.jdbc.config.DriverConfig;
import org.pgrepl.jdbc.config.HostSpec;
import org.pgrepl.jdbc.config.PgReplUrl;
import org.pgrepl.jdbc.metrics.RouteReason;
import org.pgrepl.jdbc.metrics.RouteTarget;
import org.pgrepl.jdbc.monitor.ClusterMXBeanImpl;
import org.pgrepl.jdbc.monitor.ClusterMonitor;
import org.pgrepl.jdbc.monitor.ClusterState;
import org.pgrepl.jdbc.monitor.ClusterStats;
import org.pgrepl.jdbc.monitor.HostState;
import org.pgrepl.jdbc.monitor.Lsn;
import org.pgrepl.jdbc.monitor.MonitorRegistry;

/**
 * What every logical connection to one cluster (sorted hosts, database, user) in this JVM
 * shares: host health, replica connection counts, the round-robin position, routing counters,
 * the process-wide read floor, and the lease on the cluster's monitor.
 */
final class Cluster {
    private static final Map<String, Cluster> CLUSTERS = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());

    final String key;
    /** {@code host:port,host:port/database}, hosts sorted: the metrics name, without the user. */
    final String name;
    final List<HostSpec> hosts;
    private final Map<HostSpec, Integer> index = new HashMap<>();
    private final HostHealth[] health;
    private final AtomicInteger[] openReplicaConnections;
    final AtomicInteger roundRobin = new AtomicInteger();
    final ClusterStats stats = new ClusterStats();
    /** Highest commit position any connection of this cluster in this JVM has seen ({@code process} consistency). */
    final AtomicLong processFloor = new AtomicLong(Lsn.NONE);
    /** Physical connections open now, for the per-host connection counts of the metrics. */
    private final Set<Physical> open = ConcurrentHashMap.newKeySet();
    /** The monitor of the latest lease, for the metrics (null before the first connection). */
    volatile ClusterMonitor monitor;
    /** Settings of the latest connection, for a host's eligibility in the metrics. */
    volatile DriverConfig latestConfig;

    private Cluster(String key, String name, List<HostSpec> hosts) {
        this.key = key;
        this.name = name;
        this.hosts = hosts;
        this.health = new HostHealth[hosts.size()];
        this.openReplicaConnections = new AtomicInteger[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            index.put(hosts.get(i), i);
            health[i] = new HostHealth();
            openReplicaConnections[i] = new AtomicInteger();
        }
    }

    /** The cluster of a parsed URL; the first URL seen fixes the host order the monitor uses. */
    static Cluster of(PgReplUrl url) {
        List<String> sorted = new ArrayList<>();
        url.hosts().forEach(h -> sorted.add(h.toString()));
        Collections.sort(sorted);
        Properties p = url.pgjdbcProperties();
        String key = sorted + "/" + url.database() + "/" + p.getProperty("user", "");
        String name = String.join(",", sorted) + "/" + url.database();
        return CLUSTERS.computeIfAbsent(key, k -> new Cluster(k, name, List.copyOf(url.hosts())));
    }

    /** Every cluster used in this JVM. */
    static List<Cluster> all() {
        return List.copyOf(CLUSTERS.values());
    }

    /** True while this cluster's monitor runs (a connection or pool to it is open). */
    boolean running() {
        return MonitorRegistry.isRunning(key);
    }

    /** A physical connection was opened (its constructor) or closed (close or abort; idempotent). */
    void opened(Physical p) {
        open.add(p);
    }

    void closed(Physical p) {
        open.remove(p);
    }

    /** Physical connections this JVM holds open to host {@code i}. */
    int openConnections(int i) {
        int n = 0;
        for (Physical p : open) {
            n += p.hostIndex == i ? 1 : 0;
        }
        return n;
    }

    /**
     * Counts one statement execution on {@code p}. {@code reason} is what the route last
     * decided; a statement created earlier on another route keeps its own connection, so the
     * target comes from the connection and the reason is made to fit it. A statement that
     * continues an open transaction counts as pinned.
     */
    void routed(Physical p, RouteReason reason) {
        if (!p.readRoute && !p.readOnlySession) {
            stats.routed(RouteTarget.PRIMARY, RouteReason.WRITE); // read-write work, pinned or not: no lookup
            return;
        }
        if (p.inTransaction()) {
            reason = RouteReason.TRANSACTION_PINNED; // a statement after the first of a transaction
        }
        if (p.readRoute) {
            stats.routed(RouteTarget.REPLICA, reason == RouteReason.TRANSACTION_PINNED ? reason : RouteReason.READ_ONLY);
        } else {
            stats.routed(RouteTarget.PRIMARY,
                    reason == RouteReason.WRITE || reason == RouteReason.READ_ONLY ? RouteReason.NO_USABLE_REPLICA : reason);
        }
    }

    /**
     * The reason of a read served by the primary, from the fallback's description: no usable
     * replica counts as a lag exclusion when a replica was up but beyond the lag bound.
     */
    RouteReason fallbackReason(String why, Router router) {
        if (why.startsWith("serializable")) {
            return RouteReason.SERIALIZABLE;
        }
        if (why.contains("older timeline")) {
            return RouteReason.PROMOTION;
        }
        if (why.contains("read floor")) {
            return RouteReason.READ_YOUR_WRITES_TIMEOUT;
        }
        ClusterState s = router.monitor.state();
        for (int i = 0; i < hosts.size(); i++) {
            HostState h = s.host(i);
            if (i != s.writable() && h.role() == HostState.Role.REPLICA && health(i).usable() && !withinLagOf(router.config, h)) {
                return RouteReason.LAG_EXCLUSION;
            }
        }
        return RouteReason.NO_USABLE_REPLICA;
    }

    /** The host's position in this cluster's list, or -1. */
    int indexOf(HostSpec host) {
        Integer i = index.get(host);
        return i == null ? -1 : i;
    }

    HostHealth health(int i) {
        return health[i];
    }

    AtomicInteger openReplicaConnections(int i) {
        return openReplicaConnections[i];
    }

    /**
     * A lease on this cluster's monitor, started on first need with the connecting URL's
     * credentials and settings; monitoring connections go straight to pgjdbc.
     */
    MonitorRegistry.Lease monitorLease(PgReplUrl url) {
        MonitorRegistry.Lease lease = MonitorRegistry.acquire(key, () -> {
            org.postgresql.Driver pgjdbc = Router.PGJDBC;
            Properties props = url.pgjdbcProperties();
            props.setProperty("ApplicationName", "pgrepl-monitor");
            props.putIfAbsent("connectTimeout", "5");
            ClusterMonitor monitor = new ClusterMonitor(key, hosts.size(),
                    i -> pgjdbc.connect(url.pgjdbcUrl(hosts.get(i)), props), url.config().monitorInterval(), stats);
            register(monitor);
            return monitor;
        });
        latestConfig = url.config();
        monitor = lease.monitor();
        return lease;
    }

    /** True when {@code h} is within the lag bounds of {@code c} (null: no settings known, no bound). */
    static boolean withinLagOf(DriverConfig c, HostState h) {
        if (c == null) {
            return true;
        }
        return h.withinLag(c.maxReplicaLag() == null ? null : c.maxReplicaLag().toMillis(), c.maxReplicaLagBytes());
    }

    private void register(ClusterMonitor monitor) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("org.pgrepl:type=Cluster,name=" + ObjectName.quote(key));
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new ClusterMXBeanImpl(ClusterViews.of(this)), name);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot register the cluster MBean: " + e);
        }
    }

    /** The JMX name of a cluster's MBean. */
    static String mbeanName(PgReplUrl url) {
        return "org.pgrepl:type=Cluster,name=" + ObjectName.quote(of(url).key);
    }
}
