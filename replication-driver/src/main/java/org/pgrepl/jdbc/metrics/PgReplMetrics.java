package org.pgrepl.jdbc.metrics;

import java.util.List;
import org.pgrepl.jdbc.route.ClusterViews;

/**
 * Entry point of pgrepl's metrics: what routing, the read-your-writes waits and the cluster
 * monitors of this JVM did, for meter registries (pgrepl-micrometer), JMX and the status command.
 * Reading costs no I/O; the counters are {@link java.util.concurrent.atomic.LongAdder}s the hot
 * path adds to without contention.
 */
public final class PgReplMetrics {
    private PgReplMetrics() {
    }

    /**
     * Every cluster of this JVM whose monitor is running (a pgrepl connection or pool to it is
     * open, or was closed less than two monitor intervals ago), ordered by name.
     */
    public static List<ClusterSnapshot> clusters() {
        return ClusterViews.running();
    }

    /** Every cluster used in this JVM so far, running or not, ordered by name. */
    public static List<ClusterSnapshot> allClusters() {
        return ClusterViews.all();
    }
}
