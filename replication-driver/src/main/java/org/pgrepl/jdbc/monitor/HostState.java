package org.pgrepl.jdbc.monitor;

/**
 * What the cluster monitor last saw of one host. Lag values are -1 when unknown (host down, not
 * streaming, or not a replica); routing treats unknown lag as beyond any bound.
 *
 * @param role        the host's role at the last check
 * @param lagBytes    WAL bytes the host's replay trails the primary's current position
 * @param lagMillis   replay delay: 0 when everything received is replayed, else now minus the
 *                    last replayed commit's timestamp (the idle-safe formula)
 * @param replayLsn   last replayed position (replicas) or current position (primary)
 * @param streaming   a replica's WAL receiver is connected and streaming
 * @param timeline    a primary's timeline (0 when unknown or a replica)
 * @param problem     why the host is down or stalled, for logs and status (no credentials)
 */
public record HostState(Role role, long lagBytes, long lagMillis, long replayLsn, boolean streaming, int timeline,
                        String problem) {
    /** A host's role as the monitor sees it. */
    public enum Role {
        /** Not checked yet. */
        UNKNOWN,
        /** Accepts writes: not in recovery. */
        PRIMARY,
        /** A hot standby: in recovery, answers reads. */
        REPLICA,
        /** Could not be reached or refused the login. */
        DOWN,
        /** Reached, but did not answer within the monitor's deadline (a stalled network or server). */
        STALLED
    }

    static HostState unknown() {
        return new HostState(Role.UNKNOWN, -1, -1, Lsn.NONE, false, 0, null);
    }

    static HostState down(Role role, String problem) {
        return new HostState(role, -1, -1, Lsn.NONE, false, 0, problem);
    }

    /** True when reads may go to this host as a replica. */
    public boolean isUsableReplica() {
        return role == Role.REPLICA;
    }

    /** True when this host's lag is known and within both bounds (null bound: no bound). */
    public boolean withinLag(Long maxMillis, Long maxBytes) {
        if (maxMillis == null && maxBytes == null) {
            return true;
        }
        if (!streaming || lagBytes < 0 || lagMillis < 0) {
            return false;
        }
        return (maxMillis == null || lagMillis <= maxMillis) && (maxBytes == null || lagBytes <= maxBytes);
    }
}
