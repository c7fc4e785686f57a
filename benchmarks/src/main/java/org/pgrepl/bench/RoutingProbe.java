package org.pgrepl.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks where a system sends its work: asks the server behind a connection for
 * {@code pg_is_in_recovery()} and {@code inet_server_port()} and compares with the role the
 * workload expects. Thread-safe; counts the checks and remembers the replica ports reads reached.
 */
public final class RoutingProbe {
    /** The probe statement. */
    public static final String SQL = "SELECT pg_is_in_recovery(), inet_server_port()";
    /** Longest wait for the other workers of a check run at once. */
    private static final long MEET_SECONDS = 10;

    /** What a server answered. */
    public record Observation(boolean inRecovery, int port) {
    }

    private final Target target;
    private final AtomicInteger checks = new AtomicInteger();
    private final Set<Integer> replicaPortsSeen = new TreeSet<>();
    private volatile int lastReplicaPort = -1;
    /** Set while {@link RoutingChecks} runs a crew's checks at once; see {@link #meet()}. */
    private volatile CyclicBarrier meeting;

    /** @param target the cluster whose ports {@link Target#discover()} recorded */
    public RoutingProbe(Target target) {
        this.target = target;
    }

    /** Runs the probe statement on a connection (on whatever server the connection now routes to). */
    public static Observation observe(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SQL)) {
            rs.next();
            return new Observation(rs.getBoolean(1), rs.getInt(2));
        }
    }

    /**
     * Asserts that work on this connection runs on a hot standby.
     *
     * @param what the step, for the message ("read-only transaction", ...)
     */
    public void expectReplica(Connection c, String what) throws SQLException {
        meet();
        Observation o = observe(c);
        checks.incrementAndGet();
        if (!o.inRecovery() || !target.replicaPorts().contains(o.port())) {
            throw new MisroutedException(what + " ran on " + describe(o) + ", not on a replica");
        }
        synchronized (replicaPortsSeen) {
            replicaPortsSeen.add(o.port());
        }
        lastReplicaPort = o.port();
    }

    /** Makes every later check wait for the others at {@code barrier} (null: no waiting). */
    void meetAt(CyclicBarrier barrier) {
        meeting = barrier;
    }

    /** Releases the workers waiting at the meeting: one of them failed and will not come. */
    void giveUpMeeting() {
        CyclicBarrier b = meeting;
        meeting = null;
        if (b != null) {
            b.reset();
        }
    }

    /**
     * Waits, holding the connection about to be checked, until every worker of the crew holds
     * one too, so that a pool's workers check distinct connections. A barrier broken or timed
     * out (a worker failed, or a pool smaller than the crew) lets the check go on without it:
     * meeting is there to spread the checks, never to stall them.
     */
    private void meet() {
        CyclicBarrier b = meeting;
        if (b == null || b.isBroken()) {
            return;
        }
        try {
            b.await(MEET_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BrokenBarrierException | TimeoutException e) {
            // go on alone: see above
        }
    }

    /** The replica port the latest read check saw, or -1. */
    public int lastReplicaPort() {
        return lastReplicaPort;
    }

    /** Asserts that work on this connection runs on the primary. */
    public void expectPrimary(Connection c, String what) throws SQLException {
        meet();
        Observation o = observe(c);
        checks.incrementAndGet();
        if (o.inRecovery() || o.port() != target.primaryPort()) {
            throw new MisroutedException(what + " ran on " + describe(o) + ", not on the primary");
        }
    }

    private String describe(Observation o) {
        String role = o.inRecovery() ? "a server in recovery" : "a server not in recovery";
        if (o.port() == target.primaryPort()) {
            role = "the primary";
        } else if (target.replicaPorts().contains(o.port())) {
            role = "a replica";
        }
        return role + " (pg_is_in_recovery() = " + o.inRecovery() + ", inet_server_port() = " + o.port() + ")";
    }

    /** How many checks passed or failed so far. */
    public int checks() {
        return checks.get();
    }

    /** The replica ports reads were seen on. */
    public Set<Integer> replicaPortsSeen() {
        synchronized (replicaPortsSeen) {
            return Set.copyOf(replicaPortsSeen);
        }
    }
}
