package org.pgrepl.jdbc.monitor;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Watches one cluster: every {@code interval} it checks each host's role and each replica's lag,
 * and publishes an immutable {@link ClusterState}. One thread runs the cycle; each host is
 * checked on a thread of its own with a deadline, so a stalled host is marked
 * {@link HostState.Role#STALLED} instead of holding up the others. The threads are pooled daemon
 * threads shared by every monitor of the JVM ({@link MonitorThreads}). The first cycle starts at
 * once (a seeded monitor's: as soon as something needs it, see {@link #startProbing()}) and gives
 * each host's first login a login's time before calling it stalled. {@link #close()} closes every
 * monitoring session, including one a probe is still opening (it is closed the moment its login
 * completes).
 *
 * <p>Locks are {@link ReentrantLock}s: application threads wait here ({@link #awaitFreshState}),
 * and a {@code synchronized} wait would pin a virtual thread's carrier (JDK 21 to 23).
 */
public final class ClusterMonitor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClusterMonitor.class.getName());

    /** Opens a monitoring connection to host {@code index} (URL order). */
    @FunctionalInterface
    public interface Connector {
        /** @return a new physical connection to the host */
        Connection open(int index) throws SQLException;
    }

    private final String name;
    private final Connector connector;
    private final Duration interval;
    private final int hostCount;
    private final Connection[] connections;
    /** Each host's latest probe; read by {@link #close()} on another thread. */
    private final AtomicReferenceArray<Future<?>> inFlight;
    /** The cycle loop, on a pooled thread ({@link MonitorThreads}). */
    private final Future<?> loop;
    /** Set when the loop has begun; {@link #close()} waits for {@link #loopEnded} only then. */
    private volatile boolean looping;
    private final CountDownLatch loopEnded = new CountDownLatch(1);
    /** Open once the start work ({@code onStart}) has run, or the monitor was closed first. */
    private final CountDownLatch started = new CountDownLatch(1);
    /** Guards the cycle wake-ups; {@link #cycled} is signalled after every published cycle. */
    private final ReentrantLock wake = new ReentrantLock();
    private final Condition cycled = wake.newCondition();
    /** Guards {@link #connections} against {@link #close()}: a session adopted after close is closed at once. */
    private final ReentrantLock sessions = new ReentrantLock();
    private volatile ClusterState state;
    /** Set with the first state this monitor's own probes produced. */
    private volatile boolean probed;
    /**
     * A seeded monitor's first cycle waits for this (or {@link #FIRST_CYCLE_GRACE_MILLIS}): see
     * {@link #startProbing()}. True from the start for a monitor with no seed.
     */
    private volatile boolean startNow;
    private volatile boolean closed;
    private volatile long systemIdentifier;
    private final ClusterStats stats;
    /** The last host seen taking writes (-1 before any): a different one later is a promotion seen. */
    private int lastWritable;

    /**
     * @param name      for the thread name and logs (host list, no credentials)
     * @param hostCount hosts in URL order
     * @param connector opens monitoring connections
     * @param interval  time between cycles
     */
    public ClusterMonitor(String name, int hostCount, Connector connector, Duration interval) {
        this(name, hostCount, connector, interval, new ClusterStats());
    }

    /**
     * @param stats where cycles, failed checks and promotions are counted (the cluster's, so the
     *              counts survive a monitor stopped and started again)
     */
    public ClusterMonitor(String name, int hostCount, Connector connector, Duration interval, ClusterStats stats) {
        this(name, hostCount, connector, interval, stats, null);
    }

    /**
     * @param seed the last state a stopped monitor of the same cluster published, or null: routing
     *             may use its roles until this monitor's first probe confirms or replaces them
     *             (DESIGN, "The cluster monitor"), so a connection opened right after a quiet spell
     *             does not wait for a login to every host
     */
    public ClusterMonitor(String name, int hostCount, Connector connector, Duration interval, ClusterStats stats,
                          ClusterState seed) {
        this(name, hostCount, connector, interval, stats, seed, m -> {
        });
    }

    /**
     * @param onStart runs first on the monitor's own thread, before any cycle: work the caller
     *                that starts a monitor should not wait for (the cluster's JMX bean)
     */
    public ClusterMonitor(String name, int hostCount, Connector connector, Duration interval, ClusterStats stats,
                          ClusterState seed, java.util.function.Consumer<ClusterMonitor> onStart) {
        this.stats = stats;
        this.name = name;
        this.connector = connector;
        this.interval = interval;
        this.hostCount = hostCount;
        this.connections = new Connection[hostCount];
        this.inFlight = new AtomicReferenceArray<>(hostCount);
        boolean seeded = seed != null && seed.hosts().size() == hostCount && seed.cycle() > 0;
        this.state = seeded ? seed.asSeed() : ClusterState.initial(hostCount);
        this.lastWritable = seeded ? seed.writable() : -1;
        this.startNow = !seeded;
        this.loop = MonitorThreads.submit("pgrepl-monitor " + name, () -> {
            looping = true;
            try {
                run(onStart);
            } finally {
                loopEnded.countDown();
            }
            return null;
        });
    }

    /**
     * Longest a seeded monitor's first cycle waits for {@link #startProbing()}: a quarter of the
     * interval, at most this: a seed is confirmed within it even when no call needs the first
     * probe sooner.
     */
    static final long FIRST_CYCLE_GRACE_MILLIS = 250;

    /**
     * Starts a seeded monitor's first cycle now, if it has not started (a monitor with no seed
     * starts it at once anyway). Why a seeded one waits for this: the connection that started it
     * routes on the seed with no wait of its own, and the first cycle's logins to every host (SCRAM,
     * a backend forked on each server) would compete with that connection's own login for the
     * same cores, and on a small machine make that connection's first statement and close wait.
     * So the first cycle starts as soon as any call needs it ({@link #awaitFirstProbe},
     * {@link #awaitFreshState}: a write, a lag bound, read-your-writes), or after the grace period,
     * whichever is first.
     */
    public void startProbing() {
        if (startNow) {
            return;
        }
        wake.lock();
        try {
            startNow = true;
            cycled.signalAll();
        } finally {
            wake.unlock();
        }
    }

    /** The last published snapshot. */
    public ClusterState state() {
        return state;
    }

    /** True once a cycle of this monitor's own probes has been published (a seed is not one). */
    public boolean probed() {
        return probed;
    }

    /**
     * Waits until this monitor's first cycle has been published (at most {@code timeout}): the
     * first probe of every host, with no wait for a second cycle an interval later.
     */
    public ClusterState awaitFirstProbe(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        startProbing();
        wake.lock();
        try {
            awaitLocked(() -> probed, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            wake.unlock();
        }
        return state;
    }

    /**
     * Waits (at most 5 s) until the monitor's thread has done its start work, so what it
     * registers (the cluster's JMX bean) exists once a connection's first login has returned. The
     * login takes far longer than that work, which runs meanwhile: in practice no wait at all.
     */
    public void awaitStarted() {
        if (started.getCount() == 0) {
            return;
        }
        try {
            started.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The cycle interval. */
    public Duration interval() {
        return interval;
    }

    /**
     * Waits until a cycle that started after this call has completed (at most {@code timeout}),
     * e.g. after a connection error, so routing decides on fresh information.
     */
    public ClusterState awaitFreshState(Duration timeout) {
        long target = state.cycle() + 2;
        long deadline = System.nanoTime() + timeout.toNanos();
        startProbing();
        wake.lock();
        try {
            cycled.signalAll();
            awaitLocked(() -> state.cycle() >= target, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            wake.unlock();
        }
        return state;
    }

    private void run(java.util.function.Consumer<ClusterMonitor> onStart) {
        try {
            if (closed) {
                return;
            }
            onStart.accept(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster monitor " + name + ": start failed: " + e);
        } finally {
            started.countDown();
        }
        if (!awaitStart()) {
            return;
        }
        while (!closed) {
            long start = System.nanoTime();
            try {
                cycle();
            } catch (RuntimeException e) {
                if (closed) {
                    return; // stopped while this cycle ran: nothing failed
                }
                stats.monitorFailures.increment();
                LOG.log(Level.WARNING, "cluster monitor " + name + ": cycle failed: " + e);
            }
            wake.lock();
            try {
                cycled.signalAll();
                long wait = interval.toNanos() - (System.nanoTime() - start);
                if (wait > 0 && !closed) {
                    cycled.awaitNanos(wait);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                wake.unlock();
            }
        }
    }

    /** Waits on {@link #cycled} (with {@link #wake} held) until {@code done}, close, or the deadline. */
    private void awaitLocked(java.util.function.BooleanSupplier done, long deadline) throws InterruptedException {
        while (!done.getAsBoolean() && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            cycled.awaitNanos(left);
        }
    }

    /** A seeded monitor's wait for {@link #startProbing()} or the grace period; false when interrupted. */
    private boolean awaitStart() {
        long grace = Math.min(TimeUnit.MILLISECONDS.toNanos(FIRST_CYCLE_GRACE_MILLIS), interval.toNanos() / 4);
        long deadline = System.nanoTime() + grace;
        wake.lock();
        try {
            awaitLocked(() -> startNow, deadline);
            startNow = true;
            return true;
        } catch (InterruptedException e) {
            return false;
        } finally {
            wake.unlock();
        }
    }

    private void cycle() {
        HostState[] next = new HostState[hostCount];
        List<Future<HostState>> results = new ArrayList<>(hostCount);
        for (int i = 0; i < hostCount; i++) {
            Future<?> last = inFlight.get(i);
            if (last != null && !last.isDone()) {
                results.add(null); // still stuck in last cycle's probe
                continue;
            }
            if (closed) {
                return;
            }
            final int host = i;
            Future<HostState> f = MonitorThreads.submit("pgrepl-monitor-probe " + name, () -> probe(host));
            inFlight.set(i, f);
            results.add(f);
        }
        long bound = Math.max(interval.toNanos(), TimeUnit.SECONDS.toNanos(1));
        if (state.cycle() == 0) {
            // The first logins (class loading, SCRAM, TLS in a cold JVM) take longer than a probe:
            // the first cycle gives them a login's bound before calling a host stalled, so the
            // first routing decision rests on what the hosts answered, not on a deadline.
            bound += loginBoundMillis() * 1_000_000L;
        }
        long deadline = System.nanoTime() + bound;
        for (int i = 0; i < hostCount; i++) {
            Future<HostState> f = results.get(i);
            if (f == null) {
                next[i] = HostState.down(HostState.Role.STALLED, "no answer from the previous check yet");
                continue;
            }
            try {
                next[i] = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                next[i] = HostState.down(HostState.Role.STALLED, "no answer within " + bound / 1_000_000 + " ms");
            } catch (Exception e) {
                next[i] = HostState.down(HostState.Role.DOWN, String.valueOf(e.getCause()));
            }
        }
        for (HostState h : next) {
            if (h.role() == HostState.Role.DOWN || h.role() == HostState.Role.STALLED) {
                stats.monitorFailures.increment();
            }
        }
        publish(next);
    }

    private HostState probe(int i) {
        try {
            if (connections[i] == null || connections[i].isClosed()) {
                Connection c = connector.open(i);
                if (!adopt(i, c)) {
                    return HostState.down(HostState.Role.UNKNOWN, "monitor closed");
                }
                long sys = HostProbe.systemIdentifier(c);
                if (sys != 0) {
                    systemIdentifier = sys;
                }
            }
            HostProbe.Observation o = HostProbe.probe(connections[i]);
            return new HostState(o.inRecovery() ? HostState.Role.REPLICA : HostState.Role.PRIMARY, -1, o.lagMillis(),
                    o.inRecovery() ? o.replayLsn() : o.currentLsn(), o.streaming(), o.timeline(), null);
        } catch (SQLException e) {
            closeQuietly(i);
            // Only a connection-level failure says the host is down; a refused login (wrong
            // password, missing database) leaves its role unknown, and the application's own
            // connection then fails with pgjdbc's error.
            boolean down = e.getSQLState() == null || e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P0");
            return HostState.down(down ? HostState.Role.DOWN : HostState.Role.UNKNOWN,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(i);
            return HostState.down(HostState.Role.DOWN, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Longest a probe's round trip (and, by the monitor's defaults, its login) may take: twice the interval, at least 2 s. */
    private long loginBoundMillis() {
        return Math.max(2_000, interval.toMillis() * 2);
    }

    /**
     * Keeps a freshly opened session for host {@code i}, or closes it when the monitor was closed
     * while it was being opened (a login through a stalled network can complete long after).
     */
    private boolean adopt(int i, Connection c) throws SQLException {
        sessions.lock();
        try {
            if (!closed) {
                // A stalled socket must not hold this probe thread for long: it ends at twice the interval.
                c.setNetworkTimeout(Runnable::run, (int) loginBoundMillis());
                connections[i] = c;
                return true;
            }
        } finally {
            sessions.unlock();
        }
        closeQuietly(c);
        return false;
    }

    /**
     * Picks the writable host (the higher timeline wins when two claim it) and computes byte lag.
     * A host out of recovery on a timeline below one already seen taking writes (by this monitor
     * or the predecessor that seeded it) is an old primary left running after a promotion: it is
     * never writable again, also in a cycle where the promoted host did not answer. A new system
     * identifier (a cluster made anew on the same addresses) forgets that timeline.
     */
    private void publish(HostState[] hosts) {
        long knownSystem = state.systemIdentifier();
        int timelineFloor = knownSystem == 0 || systemIdentifier == 0 || knownSystem == systemIdentifier
                ? state.timeline() : 0;
        int writable = -1;
        boolean ambiguous = false;
        for (int i = 0; i < hosts.length; i++) {
            if (hosts[i].role() == HostState.Role.PRIMARY
                    && (hosts[i].timeline() == 0 || hosts[i].timeline() >= timelineFloor)) {
                if (writable < 0 || hosts[i].timeline() > hosts[writable].timeline()) {
                    ambiguous = false;
                    writable = i;
                } else if (hosts[i].timeline() == hosts[writable].timeline()) {
                    ambiguous = true;
                }
            }
        }
        boolean ambiguousPrimary = ambiguous;
        if (ambiguous) {
            LOG.log(Level.WARNING, "cluster monitor " + name + ": two hosts accept writes on the same timeline;"
                    + " writes fail until one is stopped or demoted");
            writable = -1;
        }
        long primaryLsn = writable >= 0 ? hosts[writable].replayLsn() : Lsn.NONE;
        List<HostState> out = new ArrayList<>(hosts.length);
        for (HostState h : hosts) {
            if (h.role() == HostState.Role.REPLICA && primaryLsn != Lsn.NONE) {
                long bytes = Lsn.bytesBehind(primaryLsn, h.replayLsn());
                // A replica that has replayed the primary's position is not behind, whatever the
                // age of its last replayed commit (an idle cluster, or a restart that left the
                // receive position at a segment boundary).
                long millis = bytes == 0 ? 0 : h.lagMillis();
                h = new HostState(h.role(), bytes, millis, h.replayLsn(), h.streaming(), h.timeline(), h.problem());
            } else if (h.role() == HostState.Role.PRIMARY) {
                h = new HostState(h.role(), 0, 0, h.replayLsn(), false, h.timeline(), h.problem());
            }
            out.add(h);
        }
        int timeline = writable >= 0 ? hosts[writable].timeline() : timelineFloor;
        if (writable >= 0 && lastWritable >= 0 && writable != lastWritable) {
            stats.promotions.increment();
        }
        if (writable >= 0) {
            lastWritable = writable;
        }
        stats.monitorCycles.increment();
        state = new ClusterState(List.copyOf(out), writable, ambiguousPrimary, primaryLsn, systemIdentifier, timeline,
                System.nanoTime(), state.cycle() + 1);
        probed = true;
    }

    private void closeQuietly(int i) {
        Connection c;
        sessions.lock();
        try {
            c = connections[i];
            connections[i] = null;
        } finally {
            sessions.unlock();
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
        }
    }

    /** Stops the thread and closes every monitoring connection. */
    @Override
    public void close() {
        sessions.lock();
        try {
            closed = true;
        } finally {
            sessions.unlock();
        }
        wake.lock();
        try {
            cycled.signalAll();
        } finally {
            wake.unlock();
        }
        // Cancelling interrupts a running task's thread only while it runs that task: a pooled
        // thread that has moved on to another monitor's work is never hit.
        loop.cancel(true);
        started.countDown(); // a loop cancelled before it began never opens it
        for (int i = 0; i < hostCount; i++) {
            Future<?> f = inFlight.get(i);
            if (f != null) {
                f.cancel(true);
            }
        }
        try {
            if (looping) {
                loopEnded.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < hostCount; i++) {
            closeQuietly(i);
        }
    }

    /** True once {@link #close()} has begun. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "ClusterMonitor[" + name + "]";
    }
}
