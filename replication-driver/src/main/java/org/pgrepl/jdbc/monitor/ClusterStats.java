package org.pgrepl.jdbc.monitor;

import java.util.concurrent.atomic.LongAdder;

/**
 * Routing counters of one cluster, shared by its connections. {@link LongAdder}s, so counting
 * on the hot path costs no contention between threads.
 */
public final class ClusterStats {
    /** Routes opened (a physical connection chosen for work) on the read-only side to a replica. */
    public final LongAdder replicaRoutes = new LongAdder();
    /** Routes opened on the read-write side. */
    public final LongAdder primaryRoutes = new LongAdder();
    /** Reads that went to the primary because no replica was usable (or within bounds). */
    public final LongAdder fallbacks = new LongAdder();
    /** Reads that waited for a replica to replay a required position. */
    public final LongAdder readYourWritesWaits = new LongAdder();
    /** Waits that ran out of time. */
    public final LongAdder readYourWritesTimeouts = new LongAdder();
    /** Total time spent waiting, in microseconds. */
    public final LongAdder readYourWritesWaitMicros = new LongAdder();
    /** Replicas skipped because of lag bounds. */
    public final LongAdder lagExclusions = new LongAdder();
}
