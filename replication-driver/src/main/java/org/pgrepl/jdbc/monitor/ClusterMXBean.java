package org.pgrepl.jdbc.monitor;

/**
 * JMX view of one cluster's monitor ({@code org.pgrepl:type=Cluster,name="<sorted hosts/db/user>",
 * settings="<connection settings>"}): topology from the monitor's last cycle, and routing counters
 * since the monitor started. Registered while the monitor runs, unregistered when it stops.
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

    /** The host taking writes, or empty when none can be told. */
    String getWritableHost();

    /** Reads routed to replicas. */
    long getReplicaRoutes();

    /** Work routed to the primary. */
    long getPrimaryRoutes();

    /** Reads served by the primary because no replica was usable. */
    long getFallbacks();

    /** Reads that waited for a replica to replay a required position. */
    long getReadYourWritesWaits();

    /** Such waits that timed out. */
    long getReadYourWritesTimeouts();

    /** Replicas skipped for lag. */
    long getLagExclusions();

    /** Completed monitor cycles. */
    long getMonitorCycles();
}
