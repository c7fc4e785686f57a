package org.pgrepl.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The heap check ({@code --heap-check}): W4 (8 threads, Spring over HikariCP) run without pause
 * for a long stretch on one open pool per system, A then B, with the used heap after a full GC
 * taken at the end of every period while the pool stays open. B's series is to be flat (no
 * growth with the number of operations) and B − A, what pgrepl holds, under 10 MB.
 *
 * <p>The GC and the measurement run between periods, the workers paused; the per-period ops/s
 * is shown only to tell the periods apart, not as a benchmark figure.
 */
public final class HeapCheck {
    /** The systems compared: hand-routed pgjdbc and pgrepl. */
    public static final List<SystemId> SYSTEMS = List.of(SystemId.A, SystemId.B);
    /** Target: B − A after GC, in MB. */
    public static final double TARGET_MB = 10;
    /** Latency samples kept per thread and period: enough for a period, small next to the heap measured. */
    private static final int CAPACITY = 1 << 15;

    private final Target target;
    private final PrintStream log;
    private final double seconds;
    private final double periodSeconds;

    /**
     * @param target        the cluster, discovered
     * @param log           where progress goes
     * @param seconds       how long each system runs in all
     * @param periodSeconds the heap is measured after each period of this length
     */
    public HeapCheck(Target target, PrintStream log, double seconds, double periodSeconds) {
        this.target = target;
        this.log = log;
        this.seconds = seconds;
        this.periodSeconds = periodSeconds;
    }

    /** One period: its throughput and the heap after it. */
    public record Period(double opsPerSecond, long heapBytes) {
        /** Used heap after GC, MB. */
        public double heapMb() {
            return heapBytes / 1048576.0;
        }
    }

    /** One system's series, or why it was not measured. */
    public record Series(SystemId system, long heapBeforeBytes, List<Period> periods, String note) {
        boolean measured() {
            return note == null && !periods.isEmpty();
        }
    }

    /** Runs A, then B (as far as {@code selected} allows). */
    public HeapCheckResult run(java.util.Set<SystemId> selected) throws InterruptedException {
        List<Series> out = new ArrayList<>();
        SampleBuffers buffers = new SampleBuffers(CAPACITY);
        int periods = Math.max(1, (int) Math.round(seconds / periodSeconds));
        for (SystemId s : SYSTEMS) {
            if (selected.contains(s)) {
                out.add(run(s, buffers, periods));
            }
        }
        return new HeapCheckResult(out, periodSeconds);
    }

    private Series run(SystemId s, SampleBuffers buffers, int periods) throws InterruptedException {
        PooledWorkload w4 = new PooledWorkload();
        Worker[] workers = new Worker[w4.threads()];
        List<Period> out = new ArrayList<>();
        long before = Rounds.usedHeapAfterGc();
        RoutingProbe probe = new RoutingProbe(target);
        Subject subject = null;
        try {
            subject = w4.open(s, target);
            for (int i = 0; i < workers.length; i++) {
                workers[i] = subject.worker(i);
            }
            RoutingChecks.all(workers, probe);
            for (int p = 1; p <= periods; p++) {
                RoundStats stats;
                try (Crew crew = new Crew("heap-" + s, workers, buffers, 0)) {
                    crew.slice((long) (periodSeconds * 1e9), 0);
                    stats = crew.stats();
                }
                if (stats.errors() > 0) {
                    return fail(s, before, stats.errors() + " failed operations, first: "
                            + target.redact(stats.firstError()));
                }
                long heap = Rounds.usedHeapAfterGc();
                out.add(new Period(stats.opsPerSecond(), heap));
                log.printf(Locale.ROOT, "heap check %s period %d/%d: %,.0f ops/s, %.1f MB after GC%n", s, p, periods,
                        stats.opsPerSecond(), heap / 1048576.0);
            }
            RoutingChecks.all(workers, probe);
            return new Series(s, before, out, null);
        } catch (MisroutedException e) {
            return fail(s, before, "misrouted: " + target.redact(e.getMessage()));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            return fail(s, before, target.redact(Rounds.describe(e)));
        } finally {
            for (Worker worker : workers) {
                closeQuietly(worker);
            }
            closeQuietly(subject);
        }
    }

    private Series fail(SystemId s, long before, String why) {
        log.printf("heap check %s: %s%n", s, why);
        return new Series(s, before, List.of(), why);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing after the measurement or a failure: not what is reported
            }
        }
    }
}
