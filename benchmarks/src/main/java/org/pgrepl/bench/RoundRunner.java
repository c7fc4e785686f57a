package org.pgrepl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one system's workers for one round: a warm-up, then a timed phase that every thread starts
 * together, with per-operation latencies, client process CPU and the workers' allocation taken
 * over exactly the timed phase. Sample buffers are allocated once and reused, so the timed loop
 * allocates nothing of its own.
 */
public final class RoundRunner {
    /** Stop a worker after this many errors in one round. */
    static final int MAX_ERRORS = 20;

    /**
     * How long a round runs: by time (the benchmark) or by operation count (smoke mode).
     *
     * @param warmupNanos  warm-up per round by time (ignored when {@code warmupOps > 0})
     * @param measureNanos timed phase by time (ignored when {@code measureOps > 0})
     * @param warmupOps    warm-up operations per thread, or 0
     * @param measureOps   measured operations in all, split over the threads, or 0
     */
    public record Plan(long warmupNanos, long measureNanos, int warmupOps, int measureOps) {
        boolean byCount() {
            return measureOps > 0;
        }
    }

    private final int capacity;
    private long[][] latencies = new long[0][];
    private long[][][] aux = new long[0][][];
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** @param capacity latency samples kept per thread and round (further operations still count) */
    public RoundRunner(int capacity) {
        this.capacity = capacity;
    }

    /** Runs the round; the workers stay open (the caller checks routing on them, then closes them). */
    public RoundStats run(Worker[] workers, Plan plan, int auxCount) throws InterruptedException {
        int n = workers.length;
        ensureBuffers(n, auxCount);
        CyclicBarrier warmed = new CyclicBarrier(n + 1);
        CyclicBarrier go = new CyclicBarrier(n + 1);
        CyclicBarrier ended = new CyclicBarrier(n + 1);
        CyclicBarrier release = new CyclicBarrier(n + 1);
        int[] counts = new int[n];
        long[] ops = new long[n];
        long[] errors = new long[n];
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] deadline = new long[1];
        Thread[] ts = new Thread[n];
        long warmupEnd = System.nanoTime() + plan.warmupNanos();
        for (int i = 0; i < n; i++) {
            int me = i;
            ts[i] = new Thread(() -> {
                try {
                    Worker w = workers[me];
                    for (int k = 0; plan.warmupOps() > 0 ? k < plan.warmupOps() : System.nanoTime() < warmupEnd; k++) {
                        try {
                            w.op();
                        } catch (Exception e) {
                            firstError.compareAndSet(null, describe(e));
                            if (++errors[me] >= MAX_ERRORS) {
                                break;
                            }
                        }
                    }
                    warmed.await();
                    go.await();
                    timed(w, me, plan, n, deadline[0], counts, ops, errors, firstError);
                    ended.await();
                    release.await();
                } catch (InterruptedException | BrokenBarrierException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-worker-" + i);
            ts[i].setDaemon(true);
            ts[i].start();
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = ts[i].getId();
        }
        try {
            warmed.await();
            long alloc0 = sum(threads.getThreadAllocatedBytes(ids));
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            deadline[0] = t0 + plan.measureNanos();
            go.await();
            ended.await();
            long t1 = System.nanoTime();
            long cpu1 = os.getProcessCpuTime();
            long alloc1 = sum(threads.getThreadAllocatedBytes(ids));
            release.await();
            for (Thread t : ts) {
                t.join();
            }
            return stats(ops, counts, errors, firstError.get(), t1 - t0, cpu1 - cpu0,
                    alloc0 < 0 || alloc1 < 0 ? -1 : alloc1 - alloc0, auxCount);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("a worker thread died", e);
        }
    }

    private void timed(Worker w, int me, Plan plan, int n, long deadline, int[] counts, long[] ops, long[] errors,
                       AtomicReference<String> firstError) {
        long[] lat = latencies[me];
        long[][] myAux = aux.length > me ? aux[me] : null;
        long limit = plan.byCount() ? Math.max(1, plan.measureOps() / n) : Long.MAX_VALUE;
        int c = 0;
        long done = 0;
        while (plan.byCount() ? done < limit : System.nanoTime() < deadline) {
            long t = System.nanoTime();
            try {
                w.op();
            } catch (Exception e) {
                firstError.compareAndSet(null, describe(e));
                if (++errors[me] >= MAX_ERRORS) {
                    break;
                }
                continue;
            }
            long took = System.nanoTime() - t;
            if (c < capacity) {
                lat[c] = took;
                long[] a = myAux == null ? null : w.aux();
                if (a != null) {
                    for (int k = 0; k < myAux.length; k++) {
                        myAux[k][c] = a[k];
                    }
                }
                c++;
            }
            done++;
        }
        counts[me] = c;
        ops[me] = done;
    }

    private RoundStats stats(long[] ops, int[] counts, long[] errors, String firstError, long elapsed, long cpu,
                             long alloc, int auxCount) {
        long totalOps = 0;
        long totalErrors = 0;
        for (int i = 0; i < ops.length; i++) {
            totalOps += ops[i];
            totalErrors += errors[i];
        }
        long[] sorted = Stats.mergeSorted(slice(latencies, ops.length), counts);
        double[] auxP50 = new double[auxCount];
        double[] auxP99 = new double[auxCount];
        for (int k = 0; k < auxCount; k++) {
            long[][] perThread = new long[ops.length][];
            for (int i = 0; i < ops.length; i++) {
                perThread[i] = aux[i][k];
            }
            long[] s = Stats.mergeSorted(perThread, counts);
            int from = 0;
            while (from < s.length && s[from] < 0) {
                from++;
            }
            long[] valid = java.util.Arrays.copyOfRange(s, from, s.length);
            auxP50[k] = Stats.percentile(valid, valid.length, 50);
            auxP99[k] = Stats.percentile(valid, valid.length, 99);
        }
        return new RoundStats(totalOps, elapsed, totalErrors, firstError, Stats.percentile(sorted, sorted.length, 50),
                Stats.percentile(sorted, sorted.length, 99), cpu, alloc, -1, auxP50, auxP99);
    }

    private static long[][] slice(long[][] a, int n) {
        long[][] s = new long[n][];
        System.arraycopy(a, 0, s, 0, n);
        return s;
    }

    private void ensureBuffers(int n, int auxCount) {
        if (latencies.length < n) {
            long[][] grown = new long[n][];
            for (int i = 0; i < n; i++) {
                grown[i] = i < latencies.length ? latencies[i] : new long[capacity];
            }
            latencies = grown;
        }
        if (auxCount > 0 && (aux.length < n || aux[0].length < auxCount)) {
            aux = new long[n][auxCount][capacity];
        }
        if (auxCount > 0) {
            for (long[][] perThread : aux) {
                for (long[] a : perThread) {
                    java.util.Arrays.fill(a, -1);
                }
            }
        }
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            if (v < 0) {
                return -1;
            }
            s += v;
        }
        return s;
    }

    /** Used heap right after a full collection (the caller keeps its subject open meanwhile). */
    public static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** A one-line description of an error: class, SQLState where there is one, message. */
    static String describe(Throwable e) {
        String state = e instanceof java.sql.SQLException s && s.getSQLState() != null ? " [" + s.getSQLState() + "]" : "";
        return e.getClass().getSimpleName() + state + ": " + e.getMessage();
    }
}
