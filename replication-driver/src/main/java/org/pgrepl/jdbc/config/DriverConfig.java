package org.pgrepl.jdbc.config;

import java.time.Duration;

/**
 * The driver's own settings, parsed and validated.
 *
 * @param replicaSelection      how a replica is picked
 * @param readFallback          what a read does when no replica is usable
 * @param hostRecheck           first back-off before a host marked down is tried again
 * @param maxReplicaLag         replicas further behind are not used; null: no bound
 * @param maxReplicaLagBytes    the same in WAL bytes; null: no bound
 * @param readConsistency       what a replica read must have seen
 * @param readYourWritesTimeout longest wait for a replica to reach the needed position
 * @param monitorInterval       how often the cluster monitor refreshes roles and lag
 * @param followPromotion       send writes to whichever listed host is not in recovery
 * @param readOnly              every logical connection starts on the read-only route
 * @param transactionPooling    the hosts are poolers in transaction mode: no session state
 */
public record DriverConfig(ReplicaSelection replicaSelection, ReadFallback readFallback, Duration hostRecheck,
                           Duration maxReplicaLag, Long maxReplicaLagBytes, ReadConsistency readConsistency,
                           Duration readYourWritesTimeout, Duration monitorInterval, boolean followPromotion,
                           boolean readOnly, boolean transactionPooling) {
    /** Every property at its default. */
    public static DriverConfig defaults() {
        try {
            return PgReplProperty.configOf(new java.util.HashMap<>());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("a default does not parse", e);
        }
    }
}
