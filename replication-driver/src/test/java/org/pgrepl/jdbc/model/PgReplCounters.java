package org.pgrepl.jdbc.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.pgrepl.jdbc.metrics.ClusterSnapshot;
import org.pgrepl.jdbc.metrics.HostSnapshot;
import org.pgrepl.jdbc.metrics.PgReplMetrics;

/**
 * pgrepl's own count of the physical connections it holds (its public metrics), for the second
 * half of invariant 5: once every logical connection to the model cluster is closed, pgrepl must
 * count none open and none below zero. Compared with the servers' sessions it also tells a
 * connection pgrepl forgot to close from one it closed that the server never saw end.
 */
final class PgReplCounters {
    private PgReplCounters() {
    }

    /** Hosts (address, count) of the model cluster's hosts where pgrepl counts an open connection, or a negative count. */
    static List<String> heldOrNegative(ModelCluster mc) {
        Set<String> relays = mc.cluster.servers().stream().map(s -> mc.cluster.relay(s).hostAndPort())
                .collect(Collectors.toSet());
        List<String> out = new ArrayList<>();
        for (ClusterSnapshot c : PgReplMetrics.allClusters()) {
            for (HostSnapshot h : c.hosts()) {
                if (relays.contains(h.address()) && h.openConnections() != 0) {
                    out.add(h.address() + "=" + h.openConnections());
                }
            }
        }
        return out;
    }
}
