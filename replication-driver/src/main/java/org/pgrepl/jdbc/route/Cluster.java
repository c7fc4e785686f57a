package org.pgrepl.jdbc.route;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.pgrepl.jdbc.config.HostSpec;
import org.pgrepl.jdbc.config.PgReplUrl;
import org.pgrepl.jdbc.monitor.ClusterMXBeanImpl;
import org.pgrepl.jdbc.monitor.ClusterMonitor;
import org.pgrepl.jdbc.monitor.ClusterStats;
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
    final List<HostSpec> hosts;
    private final Map<HostSpec, Integer> index = new HashMap<>();
    private final HostHealth[] health;
    private final AtomicInteger[] openReplicaConnections;
    final AtomicInteger roundRobin = new AtomicInteger();
    final ClusterStats stats = new ClusterStats();
    /** Highest commit position any connection of this cluster in this JVM has seen ({@code process} consistency). */
    final AtomicLong processFloor = new AtomicLong(Lsn.NONE);

    private Cluster(String key, List<HostSpec> hosts) {
        this.key = key;
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
        return CLUSTERS.computeIfAbsent(key, k -> new Cluster(k, List.copyOf(url.hosts())));
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
        return MonitorRegistry.acquire(key, () -> {
            org.postgresql.Driver pgjdbc = Router.PGJDBC;
            Properties props = url.pgjdbcProperties();
            props.setProperty("ApplicationName", "pgrepl-monitor");
            props.putIfAbsent("connectTimeout", "5");
            ClusterMonitor monitor = new ClusterMonitor(key, hosts.size(),
                    i -> pgjdbc.connect(url.pgjdbcUrl(hosts.get(i)), props), url.config().monitorInterval());
            register(monitor);
            return monitor;
        });
    }

    private void register(ClusterMonitor monitor) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("org.pgrepl:type=Cluster,name=" + ObjectName.quote(key));
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new ClusterMXBeanImpl(hosts.stream().map(HostSpec::toString).toList(), monitor, stats),
                    name);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot register the cluster MBean: " + e);
        }
    }

    /** The JMX name of a cluster's MBean. */
    static String mbeanName(PgReplUrl url) {
        return "org.pgrepl:type=Cluster,name=" + ObjectName.quote(of(url).key);
    }
}
