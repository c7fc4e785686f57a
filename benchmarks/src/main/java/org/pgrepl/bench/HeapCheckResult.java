package org.pgrepl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The heap check's outcome: used heap after GC per period for A and B, B − A per period, and
 * the two target lines (B flat across periods; B − A under {@value HeapCheck#TARGET_MB} MB).
 *
 * @param series        one per system, A first
 * @param periodSeconds length of a period
 */
public record HeapCheckResult(List<HeapCheck.Series> series, double periodSeconds) {

    /** One system's series, or null when it was not run. */
    public HeapCheck.Series get(SystemId s) {
        return series.stream().filter(x -> x.system() == s).findFirst().orElse(null);
    }

    /** The per-period table as Markdown. */
    public String markdown() {
        HeapCheck.Series a = get(SystemId.A);
        HeapCheck.Series b = get(SystemId.B);
        StringBuilder out = new StringBuilder(f("**Heap check**: W4 (8 threads, pool 8) without pause, one pool per "
                + "system open throughout, used heap after a full GC every %.0f s%n%n", periodSeconds));
        for (HeapCheck.Series s : series) {
            if (!s.measured()) {
                out.append(f("- %s: %s%n", s.system(), s.note()));
            }
        }
        out.append("| period | A ops/s | A heap MB | B ops/s | B heap MB | B − A MB |\n|---|---|---|---|---|---|\n");
        out.append(f("| before open | | %s | | %s | %s |%n", before(a), before(b), a == null || b == null ? "–"
                : f("%+.1f", (b.heapBeforeBytes() - a.heapBeforeBytes()) / 1048576.0)));
        int n = Math.max(size(a), size(b));
        for (int i = 0; i < n; i++) {
            HeapCheck.Period pa = period(a, i);
            HeapCheck.Period pb = period(b, i);
            out.append(f("| %.0f s | %s | %s | %s | %s | %s |%n", (i + 1) * periodSeconds,
                    pa == null ? "–" : f("%,.0f", pa.opsPerSecond()), pa == null ? "–" : f("%.1f", pa.heapMb()),
                    pb == null ? "–" : f("%,.0f", pb.opsPerSecond()), pb == null ? "–" : f("%.1f", pb.heapMb()),
                    pa == null || pb == null ? "–" : f("%+.1f", pb.heapMb() - pa.heapMb())));
        }
        return out.toString();
    }

    /** The target lines: B's heap flat across periods, and B − A under the target. */
    public List<String> targetLines() {
        List<String> lines = new ArrayList<>();
        HeapCheck.Series a = get(SystemId.A);
        HeapCheck.Series b = get(SystemId.B);
        String flat = "Heap: B's heap after GC flat across periods (last − first; A's for comparison)";
        String diff = f("Heap: B − A after GC < %.0f MB (largest over periods)", HeapCheck.TARGET_MB);
        if (b == null || !b.measured()) {
            lines.add(flat + " — not measured (" + (b == null ? "not run" : b.note()) + ")");
        } else {
            double growth = growthMb(b);
            // "Flat": no more growth than A's own drift plus 1 MB, which the GC's timing alone can move.
            double allowed = (a != null && a.measured() ? Math.max(0, growthMb(a)) : 0) + 1;
            lines.add(f("%s — %s: %+.1f MB over %d periods (A %s)", flat, growth <= allowed ? "met" : "MISSED",
                    growth, b.periods().size(), a != null && a.measured() ? f("%+.1f MB", growthMb(a)) : "not measured"));
        }
        if (a == null || b == null || !a.measured() || !b.measured()) {
            HeapCheck.Series missing = a == null || !a.measured() ? a : b;
            lines.add(diff + " — not measured (" + (missing == null ? "not run" : missing.note()) + ")");
        } else {
            double worst = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < Math.min(size(a), size(b)); i++) {
                worst = Math.max(worst, period(b, i).heapMb() - period(a, i).heapMb());
            }
            lines.add(f("%s — %s: %+.1f MB", diff, worst < HeapCheck.TARGET_MB ? "met" : "MISSED", worst));
        }
        return lines;
    }

    private static double growthMb(HeapCheck.Series s) {
        List<HeapCheck.Period> p = s.periods();
        return p.get(p.size() - 1).heapMb() - p.get(0).heapMb();
    }

    private static String before(HeapCheck.Series s) {
        return s == null ? "–" : f("%.1f", s.heapBeforeBytes() / 1048576.0);
    }

    private static int size(HeapCheck.Series s) {
        return s == null ? 0 : s.periods().size();
    }

    private static HeapCheck.Period period(HeapCheck.Series s, int i) {
        return s == null || i >= s.periods().size() ? null : s.periods().get(i);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
