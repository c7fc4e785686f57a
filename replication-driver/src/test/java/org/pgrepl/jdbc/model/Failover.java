package org.pgrepl.jdbc.model;

import org.pgrepl.infra.Server;

/**
 * Promotion of a replica under the connection (the promotion property only, on a cluster of
 * its own): replica1 is promoted and replica2 follows it; the old primary is stopped first, or
 * left running (two hosts out of recovery: the higher timeline must take the writes), or left
 * running while no connection is open (a quiet spell: the next connection's monitor starts on
 * its stopped predecessor's roles, which the promotion made wrong, and that connection writes at
 * once).
 */
final class Failover {
    private Failover() {
    }

    /** How the promotion meets the connection. */
    enum How {
        OLD_PRIMARY_STOPPED("old primary stopped"),
        OLD_PRIMARY_LEFT_RUNNING("old primary left running"),
        /** No connection open, so no monitor runs: the next one starts on roles the promotion made wrong. */
        DURING_A_QUIET_SPELL("old primary left running, during a quiet spell");

        private final String text;

        How(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static void run(ConnectionModel m, How how) throws InterruptedException {
        if (m.failedOver) {
            m.trail.add("failover: already done in this try");
            return;
        }
        if (how == How.DURING_A_QUIET_SPELL) {
            m.connection.quietSpell(() -> promote(m, false));
        } else {
            promote(m, how == How.OLD_PRIMARY_STOPPED);
        }
    }

    private static void promote(ConnectionModel m, boolean stopOld) {
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
