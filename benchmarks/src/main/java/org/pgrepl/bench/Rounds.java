package org.pgrepl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** What a round runs for (its {@link Plan}), and helpers the runners share. */
public final class Rounds {
    private Rounds() {
    }

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
