package org.pgrepl.jdbc.metrics;

/**
 * One host of a cluster as pgrepl sees it now: the monitor's last check, this JVM's connection
 * attempts and its open connections. Carries no credentials.
 *
 * @param host            host name or address as listed in the URL
 * @param port            port as listed
 * @param role            PRIMARY, REPLICA, DOWN, STALLED or UNKNOWN (not checked yet)
 * @param eligible        a new read would use this host now: a replica that is up, not backing off
 *                        and within the lag bounds of the cluster's most recent connection
 * @param lagSeconds      replay delay in seconds, 0 on the primary, {@code NaN} when unknown
 * @param lagBytes        WAL bytes the replay trails the primary, 0 on the primary, -1 when unknown
 * @param openConnections physical connections this JVM's pgrepl connections hold to the host
 * @param streaming       a replica's WAL receiver is connected (known with the pg_monitor role);
 *                        false on the primary
 */
public record HostSnapshot(String host, int port, String role, boolean eligible, double lagSeconds, long lagBytes,
                           int openConnections, boolean streaming) {
    /** {@code host:port}, as in the URL (IPv6 literals in brackets). */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** True when the host answered the last check (PRIMARY or REPLICA). */
    public boolean up() {
        return "PRIMARY".equals(role) || "REPLICA".equals(role);
    }
}
