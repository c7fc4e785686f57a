package org.pgrepl.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One system's worker threads for one round, run slice by slice while the other systems' crews
 * wait: the threads live for the round, so a slice costs two barrier crossings and no thread
 * start. Ops, latencies, the Java threads' CPU, machine CPU and the workers' allocation are added up over
 * the recorded slices only; while another crew runs, this one's threads are parked and its
 * connections idle.
 */
final class Crew implements AutoCloseable {
    /** Stop a worker after this many errors in one round. */
    static final int MAX_ERRORS = 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Worker[] workers;
    private final SampleBuffers buffers;
    private final int auxCount;
    private final Thread[] threads;
    private final long[] ids;
    private final CyclicBarrier go;
    private final CyclicBarrier ended;
    private final int[] counts;
    private final long[] ops;
    private final long[] errors;
    private final AtomicReference<String> firstError = new AtomicReference<>();
    // Written by the coordinator before `go`, read by the workers after it: the barrier orders them.
    private long deadline;
    private long opsPerThread;
    private boolean recording;
    private boolean stopping;
    private long elapsed;
    private long cpu;
    private long machineCpu;
    private long alloc;

    Crew(String name, Worker[] workers, SampleBuffers buffers, int auxCount) {
        this.workers = workers;
        this.buffers = buffers;
        this.auxCount = auxCount;
        int n = workers.length;
        buffers.prepare(n, auxCount);
        go = new CyclicBarrier(n + 1);
        ended = new CyclicBarrier(n + 1);
        counts = new int[n];
        ops = new long[n];
        errors = new long[n];
        threads = new Thread[n];
        ids = new long[n];
        for (int i = 0; i < n; i++) {
            int me = i;
            threads[i] = new Thread(() -> loop(me), "bench-" + name + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
            ids[i] = threads[i].getId();
        }
    }

    /** Runs every worker for {@code nanos} (or {@code opsInAll} operations when above 0), unrecorded. */
    void warmUp(long nanos, int opsInAll) throws InterruptedException {
        run(nanos, opsInAll, false);
    }

    /** Runs one recorded slice: every worker for {@code nanos}, or {@code opsInAll} operations when above 0. */
    void slice(long nanos, int opsInAll) throws InterruptedException {
        run(nanos, opsInAll, true);
    }

    /** Whether some worker has stopped on errors. */
    boolean failing() {
        return firstError.get() != null;
    }

    private void run(long nanos, int opsInAll, boolean record) throws InterruptedException {
        recording = record;
        opsPerThread = opsInAll > 0 ? Math.max(1, opsInAll / workers.length) : 0;
        long alloc0 = sum(THREADS.getThreadAllocatedBytes(ids));
        java.util.Map<Long, Long> cpu0 = JavaThreadsCpu.snapshot();
        long machine0 = MachineCpu.nanos();
        long t0 = System.nanoTime();
        deadline = t0 + nanos;
        await(go);
        await(ended);
        long t1 = System.nanoTime();
        long machine1 = MachineCpu.nanos();
        java.util.Map<Long, Long> cpu1 = JavaThreadsCpu.snapshot();
        long alloc1 = sum(THREADS.getThreadAllocatedBytes(ids));
        if (record) {
            elapsed += t1 - t0;
            cpu += JavaThreadsCpu.between(cpu0, cpu1);
            machineCpu = machine0 < 0 || machine1 < 0 || machineCpu < 0 ? -1 : machineCpu + machine1 - machine0;
            alloc = alloc0 < 0 || alloc1 < 0 || alloc < 0 ? -1 : alloc + alloc1 - alloc0;
        }
    }

    private void loop(int me) {
        try {
            while (true) {
                go.await();
                if (stopping) {
                    return;
                }
                if (errors[me] < MAX_ERRORS) {
                    work(me);
                }
                ended.await();
            }
        } catch (InterruptedException | BrokenBarrierException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work(int me) {
        Worker w = workers[me];
        long[] lat = buffers.latencies(me);
        long[][] myAux = auxCount > 0 ? buffers.aux(me) : null;
        int capacity = lat.length;
        long limit = opsPerThread;
        long end = deadline;
        boolean record = recording;
        int c = counts[me];
        long done = 0;
        while (limit > 0 ? done < limit : System.nanoTime() < end) {
            long t = System.nanoTime();
            try {
                w.op();
            } catch (Exception e) {
                firstError.compareAndSet(null, Rounds.describe(e));
                if (++errors[me] >= MAX_ERRORS) {
                    break;
                }
                continue;
            }
            long took = System.nanoTime() - t;
            done++;
            if (record && c < capacity) {
                lat[c] = took;
                long[] a = myAux == null ? null : w.aux();
                if (a != null) {
                    for (int k = 0; k < myAux.length; k++) {
                        myAux[k][c] = a[k];
                    }
                }
                c++;
            }
        }
        if (record) {
            counts[me] = c;
            ops[me] += done;
        }
    }

    /** What the recorded slices did, in all. */
    RoundStats stats() {
        long totalOps = 0;
        long totalErrors = 0;
        for (int i = 0; i < ops.length; i++) {
            totalOps += ops[i];
            totalErrors += errors[i];
        }
        long[] sorted = Stats.mergeSorted(buffers.latencyBuffers(ops.length), counts);
        double[] auxP50 = new double[auxCount];
        double[] auxP99 = new double[auxCount];
        for (int k = 0; k < auxCount; k++) {
            long[][] perThread = new long[ops.length][];
            for (int i = 0; i < ops.length; i++) {
                perThread[i] = buffers.aux(i)[k];
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
        return new RoundStats(totalOps, elapsed, totalErrors, firstError.get(),
                Stats.percentile(sorted, sorted.length, 50), Stats.percentile(sorted, sorted.length, 99), cpu,
                alloc, -1, auxP50, auxP99, machineCpu);
    }

    /** Ends the threads (the workers themselves are closed by the caller). */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        try {
            go.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (BrokenBarrierException | java.util.concurrent.TimeoutException e) {
            for (Thread t : threads) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
    }

    private static void await(CyclicBarrier b) throws InterruptedException {
        try {
            b.await();
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("a worker thread died", e);
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
}
