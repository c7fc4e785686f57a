package org.pgrepl.jdbc.model;

import org.pgrepl.infra.Server;

/**
 * Promotion of a replica under the connection (the promotion property only, on a cluster of
 * its own): replica1 is promoted and replica2 follows it; the old primary is stopped first, or
 * left running (two hosts out of recovery: the higher timeline must take the writes).
 */
final class Failover {
    private Failover() {
    }

    static void run(ConnectionModel m, boolean stopOld) {
        if (m.failedOver) {
            m.trail.add("failover: already done in this try");
            return;
        }
        m.paused.forEach(m.mc.cluster::resumeReplay);
        m.paused.clear();
        Server old = m.mc.cluster.primary();
        Server next = m.mc.cluster.server("replica1");
        // A planned promotion: the replica has every acknowledged commit (asynchronous
        // replication may lose some in a crash; pgrepl does not claim otherwise).
        m.mc.cluster.awaitReplication(next);
        if (stopOld) {
            m.mc.cluster.stop(old);
        }
        m.mc.cluster.promote(next);
        m.mc.cluster.repoint(m.mc.cluster.server("replica2"), next);
        m.failedOver = true;
        try {
            Thread.sleep(1000); // a few monitor intervals: writes may reach the old primary until the monitor sees the promotion
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ModelStats.FAULTS.incrementAndGet();
        m.trail.add("FAULT failover: replica1 promoted" + (stopOld ? ", old primary stopped" : ", old primary still running")
                + ", replica2 repointed");
    }
}
