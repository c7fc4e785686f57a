package org.pgrepl.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * W7's outcome: each system's cold-start latencies (p50, p99, max over all samples; with fewer
 * than 100 samples the p99 is the largest but one at most), the probe round trip, and the
 * target: B's max ≤ A's max + one probe round trip.
 *
 * @param systems          each system's figures, A first
 * @param probeNanos       one probe round trip (median), or NaN
 * @param intervalMillis   pgrepl's {@code monitorInterval} in B's URL
 * @param idleMillis       the pause before each sample
 */
public record ColdStartResult(List<Figures> systems, double probeNanos, long intervalMillis, long idleMillis) {

    /** One system's samples, or why it was not measured. */
    public static final class Figures {
        private final SystemId system;
        private final RoutingProbe probe;
        private final long[] nanos;
        private int count;
        private int monitorRunning;
        private SystemResult.Status status = SystemResult.Status.MEASURED;
        private String note;

        Figures(SystemId system, RoutingProbe probe, int capacity) {
            this.system = system;
            this.probe = probe;
            this.nanos = new long[capacity];
        }

        /** Which system. */
        public SystemId system() {
            return system;
        }

        /** Measured, or why not. */
        public SystemResult.Status status() {
            return status;
        }

        /** Why it was not measured, or null. */
        public String note() {
            return note;
        }

        /** Recorded samples. */
        public int count() {
            return count;
        }

        /** The samples in nanoseconds, sorted. */
        public long[] sorted() {
            long[] s = Arrays.copyOf(nanos, count);
            Arrays.sort(s);
            return s;
        }

        /** B only: samples before which a pgrepl monitor was still registered (the idle did not stop it). */
        public int monitorRunning() {
            return monitorRunning;
        }

        /** Routing checks run (one per operation, the unrecorded first included). */
        public int routingChecks() {
            return probe.checks();
        }

        /** The replica ports the reads reached. */
        public java.util.Set<Integer> replicaPortsSeen() {
            return probe.replicaPortsSeen();
        }

        /** The p-th percentile (nearest rank), nanoseconds; NaN without samples. */
        public double percentile(double p) {
            long[] s = sorted();
            return Stats.percentile(s, s.length, p);
        }

        /** The largest sample, nanoseconds; NaN without samples. */
        public double max() {
            return count == 0 ? Double.NaN : sorted()[count - 1];
        }

        boolean measured() {
            return status == SystemResult.Status.MEASURED && count > 0;
        }

        RoutingProbe probe() {
            return probe;
        }

        boolean active() {
            return status == SystemResult.Status.MEASURED;
        }

        void add(long took, boolean monitorWasRunning) {
            if (count < nanos.length) {
                nanos[count++] = took;
            }
            if (monitorWasRunning) {
                monitorRunning++;
            }
        }

        void fail(SystemResult.Status why, String message) {
            if (status == SystemResult.Status.MEASURED) {
                status = why;
                note = message;
                count = 0;
            }
        }

        String progressLine() {
            if (!measured()) {
                return String.format(Locale.ROOT, "%s %s: %s", ColdStartBench.ID, system,
                        note == null ? "no sample" : note);
            }
            return String.format(Locale.ROOT, "%s %s: %d samples, p50 %.1f ms, p99 %.1f ms, max %.1f ms%s",
                    ColdStartBench.ID, system, count, percentile(50) / 1e6, percentile(99) / 1e6, max() / 1e6,
                    system == SystemId.B ? ", monitor still running before " + monitorRunning : "");
        }
    }

    /** The figures of one system, or null when it was not run. */
    public Figures get(SystemId s) {
        return systems.stream().filter(f -> f.system() == s).findFirst().orElse(null);
    }

    /** The W7 table as Markdown. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append(f("**%s** %s (pgrepl `monitorInterval=%dms` in B's URL, idle %d ms before each sample; "
                        + "one probe round trip %.0f µs)%n%n", ColdStartBench.ID, ColdStartBench.TITLE,
                intervalMillis, idleMillis, probeNanos / 1e3));
        b.append("| system | samples | p50 ms | p99 ms | max ms | max − A's max ms | routing checks |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        Figures a = get(SystemId.A);
        for (Figures s : systems) {
            b.append("| ").append(s.system()).append(' ').append(s.system().label()).append(" | ");
            if (!s.measured()) {
                b.append(s.note() == null ? "not run" : s.note().replace('|', '/')).append(" | – | – | – | – | ")
                        .append(checks(s)).append(" |\n");
                continue;
            }
            String extra = s.system() == SystemId.B && s.monitorRunning() > 0
                    ? f(" (monitor still running before %d)", s.monitorRunning()) : "";
            b.append(s.count()).append(extra)
                    .append(" | ").append(f("%.1f", s.percentile(50) / 1e6))
                    .append(" | ").append(f("%.1f", s.percentile(99) / 1e6))
                    .append(" | ").append(f("%.1f", s.max() / 1e6))
                    .append(" | ").append(a == null || !a.measured() ? "–" : f("%+.1f", (s.max() - a.max()) / 1e6))
                    .append(" | ").append(checks(s)).append(" |\n");
        }
        return b.toString();
    }

    /** The target line: B's max ≤ A's max + one probe round trip. */
    public String targetLine() {
        String name = "W7: B's max ≤ A's max + one probe round trip";
        Figures a = get(SystemId.A);
        Figures bf = get(SystemId.B);
        if (a == null || bf == null || !a.measured() || !bf.measured()) {
            Figures missing = a == null || !a.measured() ? a : bf;
            return name + " — not measured (" + (missing == null ? "not run" : missing.note()) + ")";
        }
        double bound = a.max() + (Double.isNaN(probeNanos) ? 0 : probeNanos);
        return f("%s — %s: %.1f ms vs %.1f ms (A's max %.1f ms + %.2f ms)", name, bf.max() <= bound ? "met" : "MISSED",
                bf.max() / 1e6, bound / 1e6, a.max() / 1e6, probeNanos / 1e6);
    }

    private static String checks(Figures s) {
        if (s.routingChecks() == 0) {
            return "–";
        }
        return (s.status() == SystemResult.Status.MISROUTED ? "FAILED" : "ok") + " (" + s.routingChecks() + ")";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
