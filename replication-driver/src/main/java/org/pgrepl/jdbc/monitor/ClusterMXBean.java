package org.pgrepl.jdbc.monitor;

/**
 * JMX view of one cluster's monitor ({@code org.pgrepl:type=Cluster,name="<sorted hosts/db/user>",
 * settings="<connection settings>"}): topology from the monitor's last cycle, and counters since
 * the monitor started; the same figures as {@link org.pgrepl.jdbc.metrics.PgReplMetrics}.
 * Registered while the monitor runs, unregistered when it stops.
 */
public interface ClusterMXBean {
    /** Hosts in URL order, {@code host:port}. */
    String[] getHosts();

    /** Per host: PRIMARY, REPLICA, DOWN, STALLED or UNKNOWN. */
    String[] getRoles();

    /** Per host: replay lag in WAL bytes, -1 when unknown. */
    long[] getLagBytes();

    /** Per host: replay lag in milliseconds, -1 when unknown. */
    long[] getLagMillis();

    /** Per host: true when up (PRIMARY or REPLICA). */
    boolean[] getUp();

    /** Per host: a new read would use it now. */
    boolean[] getEligible();

    /** Per host: physical connections open to it from this JVM. */
    int[] getOpenConnections();

    /** The host taking writes, or empty when none can be told. */
    String getWritableHost();

    /** Statements executed on replicas. */
    long getReplicaRoutes();

    /** Statements executed on the primary (writes, and reads that fell back). */
    long getPrimaryRoutes();

    /** Read-only statements the primary served (no usable replica, lag, a timed-out wait, serializable, promotion). */
    long getFallbacks();

    /** Reads that waited for a replica to replay a required position. */
    long getReadYourWritesWaits();

    /** Such waits that timed out (then fell back or failed). */
    long getReadYourWritesTimeouts();

    /** Replicas skipped for lag. */
    long getLagExclusions();

    /** Completed monitor cycles. */
    long getMonitorCycles();

    /** Failed host checks and monitor cycles. */
    long getMonitorFailures();

    /** Times the monitor saw the writable host change. */
    long getPromotionsSeen();
}
