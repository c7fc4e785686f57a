package org.pgrepl.bench;

import java.util.Arrays;

/**
 * One system's latency (and extra) sample buffers, one per worker thread, kept from round to round
 * so that a round allocates none: with every system's crew open at once, fresh buffers per round
 * would be hundreds of megabytes of garbage landing on whichever system runs next.
 */
final class SampleBuffers {
    private final int capacity;
    private long[][] latencies = new long[0][];
    private long[][][] aux = new long[0][][];

    /** @param capacity latency samples kept per thread and round (further operations still count) */
    SampleBuffers(int capacity) {
        this.capacity = capacity;
    }

    /** Makes room for {@code threads} workers with {@code auxCount} extra samples each; clears the extras. */
    void prepare(int threads, int auxCount) {
        if (latencies.length < threads) {
            long[][] grown = Arrays.copyOf(latencies, threads);
            for (int i = latencies.length; i < threads; i++) {
                grown[i] = new long[capacity];
            }
            latencies = grown;
        }
        if (auxCount > 0 && (aux.length < threads || aux[0].length < auxCount)) {
            aux = new long[threads][auxCount][capacity];
        }
        if (auxCount > 0) {
            for (long[][] perThread : aux) {
                for (long[] a : perThread) {
                    Arrays.fill(a, -1);
                }
            }
        }
    }

    long[] latencies(int thread) {
        return latencies[thread];
    }

    /** The first {@code threads} threads' latency buffers. */
    long[][] latencyBuffers(int threads) {
        return Arrays.copyOf(latencies, threads);
    }

    long[][] aux(int thread) {
        return aux[thread];
    }
}
