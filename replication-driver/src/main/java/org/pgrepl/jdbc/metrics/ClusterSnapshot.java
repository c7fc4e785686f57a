package org.pgrepl.jdbc.metrics;

import java.util.List;

/**
 * A live view of one cluster's figures in this JVM: every call reads the current values, so a
 * meter registry may hold the view and ask again at each scrape. Counters only grow (from the
 * cluster's first use in this JVM). Connections to the same hosts and database with different
 * users share one view. Nothing here carries SQL, positions, tokens or credentials.
 */
public interface ClusterSnapshot {
    /** {@code host:port,host:port/database}, hosts sorted; never a user or password. */
    String name();

    /** Per host, in the order of the cluster's first URL: one consistent read of the monitor's last cycle. */
    List<HostSnapshot> hosts();

    /** The monitor's last cycle found exactly one host taking writes. */
    boolean writablePrimarySeen();

    /** {@code host:port} of the host the monitor's last cycle found taking writes, or null when none can be told. */
    String writableHost();

    /** Statements executed on {@code target} for {@code reason} (one per execution; pool validation is not one). */
    long routes(RouteTarget target, RouteReason reason);

    /** Statements executed on {@code target}, any reason. */
    default long routes(RouteTarget target) {
        long sum = 0;
        for (RouteReason r : RouteReason.values()) {
            sum += routes(target, r);
        }
        return sum;
    }

    /** Read-your-writes waits on a replica that ended with {@code outcome}. */
    long readYourWritesWaits(ReadYourWritesOutcome outcome);

    /** Total time, in seconds, of the waits that ended with {@code outcome}. */
    double readYourWritesWaitSeconds(ReadYourWritesOutcome outcome);

    /** Times the monitor saw the writable host change to another host. */
    long promotionsSeen();

    /** Completed monitor cycles. */
    long monitorCycles();

    /** Host checks that failed (a host down or stalled), plus cycles that failed as a whole. */
    long monitorFailures();

    /** Replicas a route skipped because they were beyond a lag bound (one per skipped replica per routing decision). */
    long lagExclusions();
}
