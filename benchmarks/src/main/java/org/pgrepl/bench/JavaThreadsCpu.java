package org.pgrepl.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of every Java thread of this JVM but the caller's, at the resolution of the threads' own
 * clocks (nanoseconds on Linux). The process clock that {@code OperatingSystemMXBean} reads ticks
 * in 10 ms, as coarse as a quarter of a 40 ms slice. GC and JIT threads are not Java threads: their
 * CPU is not in this sum (the allocation column shows what a system gives the collector).
 */
final class JavaThreadsCpu {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private JavaThreadsCpu() {
    }

    /** Each live thread's CPU time now, by thread id, leaving out the calling thread. */
    static Map<Long, Long> snapshot() {
        long[] ids = THREADS.getAllThreadIds();
        long[] cpu = THREADS.getThreadCpuTime(ids);
        long me = Thread.currentThread().getId();
        Map<Long, Long> out = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != me && cpu[i] >= 0) {
                out.put(ids[i], cpu[i]);
            }
        }
        return out;
    }

    /** CPU time the threads used between two snapshots; a thread started since counts from zero. */
    static long between(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return sum;
    }
}
