package org.pgrepl.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pgrepl.jdbc.metrics.ClusterSnapshot;
import org.pgrepl.jdbc.metrics.HostSnapshot;
import org.pgrepl.jdbc.metrics.PgReplMetrics;

/**
 * What the {@code pgrepl} health indicator reports, independent of the Boot line's health API
 * (which moved packages in Boot 4): a status and the details, computed from the driver's metrics
 * API ({@link PgReplMetrics#clusters()}), which reads the cluster monitors' last cycle and costs no
 * I/O.
 *
 * <ul>
 *   <li>DOWN when a cluster's monitor sees no writable primary: writes cannot be served.</li>
 *   <li>UP when a primary takes writes, also when replicas are excluded (down, stalled, beyond
 *       the lag bound): reads then fall back to the primary; the details list the excluded ones.</li>
 *   <li>UNKNOWN while no pgrepl connection is open in this JVM (no monitor runs).</li>
 * </ul>
 *
 * The details name clusters by {@code host:port,.../database} and hosts by {@code host:port}: no user,
 * no password, no SQL.
 */
public final class PgReplHealth {
    /** The three outcomes; each Boot line maps them to its own {@code Status}. */
    public enum State { UP, DOWN, UNKNOWN }

    private final State state;
    private final Map<String, Object> details;

    private PgReplHealth(State state, Map<String, Object> details) {
        this.state = state;
        this.details = details;
    }

    /** The health of every pgrepl cluster this JVM has open now. */
    public static PgReplHealth current() {
        return of(PgReplMetrics.clusters());
    }

    /** The health of the given clusters. */
    public static PgReplHealth of(List<ClusterSnapshot> clusters) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (clusters.isEmpty()) {
            details.put("clusters", Map.of());
            details.put("reason", "no pgrepl connection is open in this JVM yet");
            return new PgReplHealth(State.UNKNOWN, details);
        }
        State state = State.UP;
        Map<String, Object> byName = new LinkedHashMap<>();
        for (ClusterSnapshot cluster : clusters) {
            byName.put(cluster.name(), cluster(cluster));
            if (!cluster.writablePrimarySeen()) {
                state = State.DOWN;
            }
        }
        details.put("clusters", byName);
        return new PgReplHealth(state, details);
    }

    private static Map<String, Object> cluster(ClusterSnapshot cluster) {
        List<HostSnapshot> hosts = cluster.hosts();
        Map<String, Object> hostDetails = new LinkedHashMap<>();
        List<String> excluded = new ArrayList<>();
        int eligible = 0;
        for (int i = 0; i < hosts.size(); i++) {
            HostSnapshot host = hosts.get(i);
            hostDetails.put(host.address(), host(host, i == 0));
            if (host.eligible()) {
                eligible++;
            } else if (!"PRIMARY".equals(host.role())) {
                excluded.add(host.address());
            }
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("writablePrimarySeen", cluster.writablePrimarySeen());
        detail.put("reads", eligible > 0 ? "replicas" : "primary (no eligible replica)");
        detail.put("excludedReplicas", excluded);
        detail.put("hosts", hostDetails);
        return detail;
    }

    private static Map<String, Object> host(HostSnapshot host, boolean listedFirst) {
        Map<String, Object> detail = new LinkedHashMap<>();
        // The monitor knows a host's role only while it answers; a host that does not keep the
        // role its place in the URL gives it (first = primary), which the details show as listedAs.
        detail.put("role", host.up() ? host.role() : "UNKNOWN");
        detail.put("listedAs", listedFirst ? "PRIMARY" : "REPLICA");
        detail.put("state", host.up() ? "UP" : host.role());
        detail.put("eligible", host.eligible());
        if (!Double.isNaN(host.lagSeconds())) {
            detail.put("lagSeconds", host.lagSeconds());
        }
        if (host.lagBytes() >= 0) {
            detail.put("lagBytes", host.lagBytes());
        }
        detail.put("openConnections", host.openConnections());
        return detail;
    }

    /** UP, DOWN or UNKNOWN. */
    public State state() {
        return state;
    }

    /** Details per cluster and host, ready for a health response. */
    public Map<String, Object> details() {
        return details;
    }
}
