package org.pgrepl.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.pgrepl.jdbc.metrics.ClusterSnapshot;
import org.pgrepl.jdbc.metrics.HostSnapshot;
import org.pgrepl.jdbc.metrics.PgReplMetrics;
import org.pgrepl.jdbc.metrics.ReadYourWritesOutcome;
import org.pgrepl.jdbc.metrics.RouteReason;
import org.pgrepl.jdbc.metrics.RouteTarget;

/** The meters of every pgrepl cluster in one registry. */
final class RegistryBinding {
    private final MeterRegistry registry;
    private final Map<String, HostGauges> clusters = new HashMap<>();

    RegistryBinding(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void refresh() {
        List<ClusterSnapshot> running = PgReplMetrics.clusters();
        List<String> runningNames = new ArrayList<>();
        for (ClusterSnapshot c : running) {
            runningNames.add(c.name());
            clusters.computeIfAbsent(c.name(), n -> bindCluster(c));
        }
        for (Map.Entry<String, HostGauges> e : clusters.entrySet()) {
            e.getValue().refresh(runningNames.contains(e.getKey()));
        }
    }

    /** Where a statement may run for a reason: a replica serves only read-only work. */
    static boolean possible(RouteTarget target, RouteReason reason) {
        if (target == RouteTarget.REPLICA) {
            return reason == RouteReason.READ_ONLY || reason == RouteReason.TRANSACTION_PINNED;
        }
        return reason != RouteReason.READ_ONLY;
    }

    static String tagValue(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private HostGauges bindCluster(ClusterSnapshot c) {
        Tags cluster = Tags.of("cluster", c.name());
        for (RouteTarget t : RouteTarget.values()) {
            for (RouteReason r : RouteReason.values()) {
                if (possible(t, r)) {
                    FunctionCounter.builder("pgrepl.route", c, s -> s.routes(t, r))
                            .description("Statements executed by pgrepl connections, by where they ran and why")
                            .tags(cluster).tag("target", tagValue(t)).tag("reason", tagValue(r))
                            .register(registry);
                }
            }
        }
        for (ReadYourWritesOutcome o : ReadYourWritesOutcome.values()) {
            FunctionTimer.builder("pgrepl.ryw.wait", c, s -> s.readYourWritesWaits(o),
                            s -> s.readYourWritesWaitSeconds(o), TimeUnit.SECONDS)
                    .description("Waits for a replica to replay a connection's read floor (read-your-writes), by outcome")
                    .tags(cluster).tag("outcome", tagValue(o))
                    .register(registry);
        }
        counter("pgrepl.promotions", "Times the monitor saw the writable host change", c, cluster,
                ClusterSnapshot::promotionsSeen);
        counter("pgrepl.monitor.cycles", "Completed cluster monitor cycles", c, cluster, ClusterSnapshot::monitorCycles);
        counter("pgrepl.monitor.failures", "Failed host checks and monitor cycles", c, cluster,
                ClusterSnapshot::monitorFailures);
        counter("pgrepl.lag.exclusions", "Replicas a routing decision skipped for being beyond a lag bound", c, cluster,
                ClusterSnapshot::lagExclusions);
        Gauge.builder("pgrepl.primary.writable", c, s -> s.writablePrimarySeen() ? 1 : 0)
                .description("1 when the monitor's last cycle found a host taking writes")
                .tags(cluster).register(registry);
        return new HostGauges(c, cluster);
    }

    private void counter(String name, String description, ClusterSnapshot c, Tags tags, ToLongFunction<ClusterSnapshot> f) {
        FunctionCounter.builder(name, c, s -> f.applyAsLong(s)).description(description).tags(tags).register(registry);
    }

    /** The per-host gauges of one cluster, as multi-gauges whose rows follow the hosts' roles. */
    private final class HostGauges {
        private final ClusterSnapshot cluster;
        private final MultiGauge lag;
        private final MultiGauge lagBytes;
        private final MultiGauge up;
        private final MultiGauge eligible;
        private final MultiGauge streaming;
        private final MultiGauge connections;

        HostGauges(ClusterSnapshot cluster, Tags tags) {
            this.cluster = cluster;
            lag = MultiGauge.builder("pgrepl.host.lag").baseUnit("seconds").tags(tags)
                    .description("Replay lag of each host as pgrepl's monitor measured it (0 on the primary)")
                    .register(registry);
            lagBytes = MultiGauge.builder("pgrepl.host.lag.bytes").baseUnit("bytes").tags(tags)
                    .description("WAL bytes each host's replay trails the primary (0 on the primary)")
                    .register(registry);
            up = MultiGauge.builder("pgrepl.host.up").tags(tags)
                    .description("1 when the host answered the monitor's last check as a primary or replica")
                    .register(registry);
            eligible = MultiGauge.builder("pgrepl.host.eligible").tags(tags)
                    .description("1 when a new read-only route would use this host now")
                    .register(registry);
            streaming = MultiGauge.builder("pgrepl.host.streaming").tags(tags)
                    .description("1 when a replica's WAL receiver is connected (needs the pg_monitor role)")
                    .register(registry);
            connections = MultiGauge.builder("pgrepl.host.connections").tags(tags)
                    .description("Physical connections pgrepl holds open to the host from this JVM")
                    .register(registry);
        }

        /** Rows for the hosts as they are now; none while the cluster's monitor is stopped. */
        void refresh(boolean running) {
            List<HostSnapshot> hosts = running ? cluster.hosts() : List.of();
            rows(lag, hosts, h -> h.lagSeconds());
            rows(lagBytes, hosts, h -> h.lagBytes() < 0 ? Double.NaN : h.lagBytes());
            rows(up, hosts, h -> h.up() ? 1 : 0);
            rows(eligible, hosts, h -> h.eligible() ? 1 : 0);
            rows(streaming, hosts, h -> h.streaming() ? 1 : 0);
            rows(connections, hosts, h -> h.openConnections());
        }

        private void rows(MultiGauge gauge, List<HostSnapshot> hosts, ToDoubleFunction<HostSnapshot> value) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>(hosts.size());
            for (int i = 0; i < hosts.size(); i++) {
                HostSnapshot h = hosts.get(i);
                int index = i;
                Tags tags = Tags.of("server.address", h.host(), "server.port", Integer.toString(h.port()),
                        "role", h.role().toLowerCase(Locale.ROOT));
                // The value is read at publication, from the host's current figures.
                rows.add(MultiGauge.Row.of(tags, cluster, c -> {
                    List<HostSnapshot> now = c.hosts();
                    return index < now.size() ? value.applyAsDouble(now.get(index)) : Double.NaN;
                }));
            }
            gauge.register(rows, true);
        }
    }
}
