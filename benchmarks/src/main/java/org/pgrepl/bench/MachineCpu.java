package org.pgrepl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of the whole machine (every process: the client and the servers), from Linux's
 * {@code /proc/stat}, so a driver that makes the servers work more shows it even when its own
 * client CPU is equal. Time stolen by the hypervisor and idle time are not counted.
 */
final class MachineCpu {
    private static final Path STAT = Path.of("/proc/stat");
    /** USER_HZ: the unit of /proc/stat on every Linux the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private MachineCpu() {
    }

    /** Busy CPU time of all CPUs since boot in nanoseconds (10 ms resolution), or -1 where unknown. */
    static long nanos() {
        try {
            String line;
            try (var in = Files.newBufferedReader(STAT)) {
                line = in.readLine();
            }
            // cpu  user nice system idle iowait irq softirq steal guest guest_nice
            String[] f = line.trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 8) {
                return -1;
            }
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(f[i]);
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
