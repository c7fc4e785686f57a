package org.pgrepl.jdbc.route;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.pgrepl.jdbc.config.ClusterKeys;
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
 * What every logical connection of one monitor key ({@link ClusterKeys#monitorKey}: sorted hosts,
 * database, user, connection settings) in this JVM shares: host health, replica connection
 * counts, the round-robin position, routing counters, and the lease on the cluster's monitor.
 *
 * <p>A cluster lives as long as its monitor: while a logical connection (or a pool's) of it is
 * open, and two monitor intervals after the last one closes. Then its monitor stops, its JMX bean
 * is unregistered and it leaves the map; connections still holding the object keep working, and
 * the next connection gets a fresh one. The {@code process} read floor outlives it (one per sorted
 * hosts and database, see {@link #FLOORS}): a write, every connection closed, then a new
 * connection still waits for that write.
 */
final class Cluster {
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());
    /** Live clusters by monitor key; changed only under {@link MonitorRegistry#locked}. */
    private static final Map<String, Cluster> CLUSTERS = new HashMap<>();
    /** Process-wide read floors by sorted hosts and database: a long per cluster, kept for the JVM's life. */
    private static final Map<String, AtomicLong> FLOORS = new ConcurrentHashMap<>();
    /** Open connections per floor key whose primary was handed out through {@code unwrap} ({@code process}). */
    private static final Map<String, AtomicInteger> UNWRAPPED = new ConcurrentHashMap<>();
    /**
     * The last state of each key's stopped monitor, the seed of its successor: a connection opened
     * after a quiet spell (a batch job, a low-traffic service) routes on the roles known a moment
     * ago while the new monitor's first probe confirms them, instead of waiting for logins to every
     * host. Roles can change while nothing watches: a write route checks its host is not in
     * recovery, and a host gone or refusing is handled as on any failed connect; an old seed is
     * not used (see {@link #seedFor}).
     */
    private static final Map<String, Seed> LAST_STATES = new ConcurrentHashMap<>();

    /** A stopped monitor's last state, with the host order its indices follow (the first URL's). */
    private record Seed(List<HostSpec> hosts, ClusterState state) {
    }
    /**
     * Cluster names (hosts and database) whose hosts refused the {@code options} startup
     * parameter (PgBouncer 1.18, in front of each server, answers 08P01): their replica sessions are made
     * read-only with a statement instead, for the JVM's life.
     */
    private static final Set<String> NO_LOGIN_OPTIONS = ConcurrentHashMap.newKeySet();
    /** Counters by cluster name (see {@link #stats}). */
    private static final Map<String, ClusterStats> STATS = new ConcurrentHashMap<>();

    final String key;
    final String displayName;
    /** {@code host:port,host:port/database}, hosts sorted: the metrics name, without the user. */
    final String name;
    final List<HostSpec> hosts;
    private final Map<HostSpec, Integer> index = new HashMap<>();
    private final HostHealth[] health;
    private final AtomicInteger[] openReplicaConnections;
    final AtomicInteger roundRobin = new AtomicInteger();
    /**
     * Counters, one set per cluster name (hosts and database) kept for the JVM's life like the
     * floor: a counter must not go back when a monitor stops and its cluster entry is replaced.
     */
    final ClusterStats stats;
    /** Highest commit position any connection to these hosts and database in this JVM has seen ({@code process}). */
    final AtomicLong processFloor;
    /**
     * Open connections of these hosts and database whose primary connection the application holds
     * through {@code unwrap} (COPY, large objects): they may commit at any moment unseen, so while
     * there are any, a {@code process} read takes the primary's position itself.
     */
    final AtomicInteger unwrappedPrimaries;
    /** Physical connections open now, for the per-host connection counts of the metrics. */
    private final Set<Physical> open = ConcurrentHashMap.newKeySet();
    /** The monitor of the latest lease, for the metrics (null before the first connection). */
    volatile ClusterMonitor monitor;
    /** Settings of the latest connection, for a host's eligibility in the metrics. */
    volatile DriverConfig latestConfig;
    /** The most recently opened connection's URL: the monitor logs in with its credentials. */
    private volatile PgReplUrl latest;
    /** This cluster's JMX name while registered, else null. */
    private ObjectName registered;

    private Cluster(String key, PgReplUrl url) {
        ClusterKeys.Names names = url.names();
        this.key = key;
        this.displayName = names.display();
        this.name = names.metrics();
        this.stats = STATS.computeIfAbsent(name, k -> new ClusterStats());
        this.hosts = List.copyOf(url.hosts());
        this.latest = url;
        this.processFloor = FLOORS.computeIfAbsent(names.floor(), k -> new AtomicLong(Lsn.NONE));
        this.unwrappedPrimaries = UNWRAPPED.computeIfAbsent(names.floor(), k -> new AtomicInteger());
        this.health = new HostHealth[hosts.size()];
        this.openReplicaConnections = new AtomicInteger[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            index.put(hosts.get(i), i);
            health[i] = new HostHealth();
            openReplicaConnections[i] = new AtomicInteger();
        }
    }

    /** The live cluster of a parsed URL, or a new one; the first URL fixes the host order the monitor uses. */
    static Cluster of(PgReplUrl url) {
        String key = url.monitorKey();
        return MonitorRegistry.locked(() -> CLUSTERS.computeIfAbsent(key, k -> new Cluster(k, url)));
    }

    /** Every live cluster in this JVM. */
    static List<Cluster> all() {
        return MonitorRegistry.locked(() -> List.copyOf(CLUSTERS.values()));
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

    /** False once a host of this cluster refused the {@code options} startup parameter. */
    boolean takesLoginOptions() {
        return !NO_LOGIN_OPTIONS.contains(name);
    }

    /** @return true the first time (for one log line) */
    boolean loginOptionsRefused() {
        return NO_LOGIN_OPTIONS.add(name);
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
     * A lease on this cluster's monitor for a connection being opened with {@code url}, starting
     * the monitor if none runs. The monitor's next login uses this URL's credentials.
     */
    MonitorRegistry.Lease monitorLease(PgReplUrl url) {
        latest = url;
        latestConfig = url.config();
        MonitorRegistry.Lease lease = MonitorRegistry.locked(() -> {
            String registryKey = key;
            Cluster live = CLUSTERS.putIfAbsent(key, this);
            if (live != null && live != this) {
                // Retired between of() and here, and already replaced: this connection keeps the
                // object it was given, with a monitor of its own (rare: it needs the last connection
                // of the key to close, two intervals to pass and a third connection in between).
                registryKey = key + "#" + System.identityHashCode(this);
            }
            String leaseKey = registryKey;
            return MonitorRegistry.acquire(leaseKey, () -> startMonitor(leaseKey), this::retire);
        });
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

    /**
     * Starts the monitor; monitoring connections go straight to pgjdbc. Runs under the registry's
     * lock. The JMX bean is registered by the monitor's own thread as it starts (a connection opened
     * after a quiet spell does not wait for it), under the registry's lock and only while the
     * monitor has not been retired, so a bean never outlives its monitor.
     */
    private ClusterMonitor startMonitor(String leaseKey) {
        Duration interval = latest.config().monitorInterval();
        return new ClusterMonitor(displayName, hosts.size(), this::openMonitorSession, interval, stats,
                seedFor(key, hosts, interval), m -> MonitorRegistry.locked(() -> {
                    if (MonitorRegistry.holds(leaseKey, m)) {
                        register();
                    }
                    return null;
                }));
    }

    /**
     * The stopped predecessor's state when it is younger than ten intervals (at least 30 s) and its
     * hosts are in this cluster's order, else null: an older one is more likely to be wrong than
     * worth the first probe's few milliseconds.
     */
    private static ClusterState seedFor(String key, List<HostSpec> hosts, Duration interval) {
        Seed last = LAST_STATES.get(key);
        long maxAge = Math.max(TimeUnit.SECONDS.toNanos(30), interval.multipliedBy(10).toNanos());
        // The same hosts in another order (a URL rewritten after a failover) would shift every role.
        return last != null && last.hosts().equals(hosts) && System.nanoTime() - last.state().takenAtNanos() < maxAge
                ? last.state() : null;
    }

    /** Opens a monitoring session to host {@code i} with the latest connection's settings and credentials. */
    private Connection openMonitorSession(int i) throws SQLException {
        PgReplUrl url = latest;
        Properties props = url.pgjdbcProperties();
        props.setProperty("ApplicationName", "pgrepl-monitor");
        props.putIfAbsent("connectTimeout", "5");
        // A login through a stalled network must end: without the user's own socketTimeout, the
        // monitor's login gives up after twice the interval (at least 2 s), like its probes.
        long bound = Math.max(2, (url.config().monitorInterval().toMillis() * 2 + 999) / 1000);
        props.putIfAbsent("socketTimeout", Long.toString(bound));
        return Router.PGJDBC.connect(url.pgjdbcUrl(hosts.get(i)), props);
    }

    /** The monitor stopped: unregister its bean and leave the map. Runs under the registry's lock. */
    private void retire() {
        CLUSTERS.remove(key, this);
        ClusterMonitor stopping = monitor;
        if (stopping != null && stopping.probed()) {
            LAST_STATES.put(key, new Seed(hosts, stopping.state()));
        }
        if (registered != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot unregister the cluster MBean: " + e);
            }
            registered = null;
        }
    }

    private void register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = objectName(displayName, latest.names().settings());
            if (server.isRegistered(name)) {
                return; // a replaced cluster's own monitor (see monitorLease): the live one keeps the name
            }
            server.registerMBean(new ClusterMXBeanImpl(ClusterViews.of(this)), name);
            registered = name;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot register the cluster MBean: " + e);
        }
    }

    private static ObjectName objectName(String displayName, String settings) throws Exception {
        return new ObjectName("org.pgrepl:type=Cluster,name=" + ObjectName.quote(displayName) + ",settings="
                + ObjectName.quote(settings));
    }

    /** The JMX name of a URL's cluster bean. */
    static String mbeanName(PgReplUrl url) {
        try {
            return objectName(url.names().display(), url.names().settings()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
