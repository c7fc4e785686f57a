package org.pgrepl.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * W7, cold start: open a connection through {@code DriverManager}, {@code setReadOnly(true)}, one
 * point read, close, each time after the cluster has been idle for 3 x pgrepl's
 * {@code monitorInterval}: no pgrepl connection of the cluster open in the JVM, so its monitor has
 * stopped (two intervals after the last connection closed) and B's next connect starts a new one.
 *
 * <p>The systems share each idle pause: after it, every system does one operation, in an order
 * that rotates from sample to sample so that none is always first. That is fair to B because the
 * other systems open no pgrepl connection, and it keeps the run to about {@code samples} pauses.
 * Each operation is checked for routing on its own connection, untimed, before its close: a read
 * must reach a replica. One unrecorded operation per system first loads the classes, so a sample
 * measures the idle cluster, not the JVM's first use of a driver.
 */
public final class ColdStartBench {
    /** The workload's id. */
    public static final String ID = "W7";
    /** The workload's title. */
    public static final String TITLE = "after an idle of 3 x monitorInterval: DriverManager open, setReadOnly(true), "
            + "one read, close";
    /** The systems compared, A first (the base). */
    public static final List<SystemId> SYSTEMS = List.of(SystemId.A, SystemId.B, SystemId.C, SystemId.F);
    /** Pause between two systems' samples after one idle pause. */
    static final long SETTLE_MILLIS = 300;
    /** Idle pauses are this many monitor intervals. */
    public static final int IDLE_INTERVALS = 3;
    private static final int PROBE_REPEATS = 50;

    private final Target target;
    private final PrintStream log;
    private final int samples;
    private final long intervalMillis;

    /**
     * @param target         the cluster, discovered
     * @param log            where progress goes
     * @param samples        operations per system (each after its own idle pause)
     * @param intervalMillis pgrepl's {@code monitorInterval}, set in B's URL; the pause is 3 x this
     */
    public ColdStartBench(Target target, PrintStream log, int samples, long intervalMillis) {
        this.target = target;
        this.log = log;
        this.samples = samples;
        this.intervalMillis = intervalMillis;
    }

    /** B's URL parameters: the monitor interval the idle pause is derived from. */
    public String pgreplQuery() {
        return "monitorInterval=" + intervalMillis + "ms";
    }

    /**
     * Runs the warm-up operation, the probe round trip and the samples of every selected system.
     *
     * @param selected the systems the options allow
     */
    public ColdStartResult run(java.util.Set<SystemId> selected) throws InterruptedException {
        Map<SystemId, ColdStartResult.Figures> figures = new LinkedHashMap<>();
        for (SystemId s : SYSTEMS) {
            if (selected.contains(s)) {
                figures.put(s, new ColdStartResult.Figures(s, new RoutingProbe(target), samples));
            }
        }
        awaitNoMonitor();
        for (ColdStartResult.Figures f : figures.values()) {
            sample(f, 0, false);
        }
        double probeNanos = probeRoundTrip();
        List<SystemId> order = new ArrayList<>(figures.keySet());
        for (int i = 0; i < samples; i++) {
            Thread.sleep(IDLE_INTERVALS * intervalMillis);
            for (int k = 0; k < order.size(); k++) {
                ColdStartResult.Figures f = figures.get(order.get((i + k) % order.size()));
                if (f.active()) {
                    sample(f, i + 1, true);
                    // Work a system leaves running after its close (B's new monitor logging in to
                    // every host) must not land on the next system's sample.
                    Thread.sleep(SETTLE_MILLIS);
                }
            }
        }
        for (ColdStartResult.Figures f : figures.values()) {
            log.println(f.progressLine());
        }
        return new ColdStartResult(List.copyOf(figures.values()), probeNanos, intervalMillis,
                IDLE_INTERVALS * intervalMillis);
    }

    /** One operation, timed from the open to the end of the read plus the close; the check in between is not. */
    private void sample(ColdStartResult.Figures f, int turn, boolean record) {
        SystemId s = f.system();
        boolean monitorRunning = s == SystemId.B && pgreplMonitorsRegistered() > 0;
        Connection c = null;
        try {
            long t0 = System.nanoTime();
            c = open(s, turn);
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(BenchData.READ)) {
                ps.setInt(1, BenchData.randomId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("row missing");
                    }
                }
            }
            long t1 = System.nanoTime();
            f.probe().expectReplica(c, "a read on a new read-only connection after the idle pause");
            long t2 = System.nanoTime();
            c.close();
            c = null;
            long took = (t1 - t0) + (System.nanoTime() - t2);
            if (record) {
                f.add(took, monitorRunning);
            }
        } catch (MisroutedException e) {
            f.fail(SystemResult.Status.MISROUTED, "misrouted: " + target.redact(e.getMessage()));
            log.printf("%s %s: %s%n", ID, s, f.note());
        } catch (Exception | LinkageError e) {
            f.fail(SystemResult.Status.ERROR, target.redact(Rounds.describe(e)));
            log.printf("%s %s: error: %s%n", ID, s, f.note());
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the failure is what is reported
                }
            }
        }
    }

    private Connection open(SystemId s, int turn) throws Exception {
        return switch (s) {
            case A -> Systems.plain(target, target.replica(turn));
            case B -> Systems.pgrepl(target, pgreplQuery());
            case C -> Systems.aws(target);
            case F -> Systems.awsSrw(target);
            default -> throw new IllegalArgumentException(s + " has no cold-start operation");
        };
    }

    /**
     * One probe round trip: the median time of the routing probe's statement (one row from
     * {@code pg_is_in_recovery()}, as the monitor's probe) on an open pgjdbc session to a replica.
     */
    private double probeRoundTrip() {
        long[] times = new long[PROBE_REPEATS];
        try (Connection c = Systems.plain(target, target.replica(0)); Statement st = c.createStatement()) {
            for (int i = 0; i < PROBE_REPEATS; i++) {
                long t = System.nanoTime();
                try (ResultSet rs = st.executeQuery(RoutingProbe.SQL)) {
                    rs.next();
                }
                times[i] = System.nanoTime() - t;
            }
        } catch (Exception e) {
            log.printf(Locale.ROOT, "%s: probe round trip not measured: %s%n", ID, target.redact(Rounds.describe(e)));
            return Double.NaN;
        }
        Arrays.sort(times);
        return Stats.percentile(times, times.length, 50);
    }

    /**
     * Waits until no pgrepl monitor runs in this JVM: the workloads before W7 use the default
     * interval, so their monitor may outlive W7's first pause (it stops two of its own intervals
     * after their last close).
     */
    private void awaitNoMonitor() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pgreplMonitorsRegistered() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        int left = pgreplMonitorsRegistered();
        if (left != 0) {
            log.printf("%s: %d pgrepl monitor(s) still registered after 10 s; the samples say how many ran%n", ID, left);
        }
    }

    /** pgrepl's cluster MBeans registered in this JVM: one per running monitor (see the driver's README). */
    static int pgreplMonitorsRegistered() {
        try {
            return ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("org.pgrepl:type=Cluster,*"), null).size();
        } catch (Exception e) {
            return -1;
        }
    }
}
