package org.pgrepl.jdbc.model;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The checks against the servers that follow every step of the single-connection property:
 * the rows (invariants 1 and 2) and the connection's server sessions (invariants 4 and 5).
 */
final class ServerChecks {
    private final ConnectionModel m;

    ServerChecks(ConnectionModel m) {
        this.m = m;
    }

    /** Invariants 1, 2 (rows) and 5 (at most two server sessions per logical connection, none idle in a transaction the model has not opened). */
    void afterStep() {
        try {
            Map<String, Integer> primaryRows = m.oracle.rowsOnPrimary(m.tryId);
            Map<String, Integer> writable = m.settings.afterPromotion() ? m.oracle.rowsOnWritableServers(m.tryId) : primaryRows;
            m.ledger.checkRows(primaryRows, writable);
            ModelStats.CHECKS.addAndGet(2);
            checkSessions();
        } catch (SQLException e) {
            throw new IllegalStateException("the oracle cannot read the servers: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void checkSessions() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L; // backends of dropped connections exit asynchronously
        while (true) {
            List<Oracle.Session> all = m.oracle.sessionsOf(m.appName());
            List<Oracle.Session> inTxn = all.stream().filter(s -> s.state() != null && s.state().startsWith("idle in transaction")).toList();
            int allowedInTxn = m.ledger.allowedInTransaction();
            if ((all.size() <= 2 || Trail.skipped(5)) && inTxn.size() <= allowedInTxn) {
                ModelStats.CHECKS.addAndGet(2);
                return;
            }
            if (System.nanoTime() > deadline) {
                if (all.size() > 2) {
                    throw m.trail.violated(5, "the logical connection holds " + all.size() + " server sessions (at most 2: one per route): " + all);
                }
                throw m.trail.violated(4, "server sessions idle in a transaction the application has not opened"
                        + " (m.autoCommit=" + m.autoCommit + ", transaction open in the model: " + m.ledger.txnOpen() + "): " + inTxn);
            }
            Thread.sleep(100);
        }
    }

    /** Invariant 5 after close or abort: no server session of {@code appName} on any server. */
    void noSessions(String appName, String after) {
        if (Trail.skipped(5)) {
            return;
        }
        try {
            List<Oracle.Session> left = m.oracle.awaitNoSessions(appName, 8_000);
            ModelStats.CHECKS.incrementAndGet();
            if (!left.isEmpty()) {
                throw m.trail.violated(5, "after " + after + ", sessions of " + appName + " are still open: " + left);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the oracle cannot read the servers: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Map<String, Integer> primaryRows() {
        try {
            return m.oracle.rowsOnPrimary(m.tryId);
        } catch (SQLException e) {
            throw new IllegalStateException("the oracle cannot read the primary: " + e, e);
        }
    }
}
