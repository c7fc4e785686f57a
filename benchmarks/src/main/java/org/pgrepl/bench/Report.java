package org.pgrepl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's output: one Markdown table (ops/s median with min and max, ratio to A, latency,
 * client CPU and allocation per operation, heap), the read-after-write detail, W7's cold-start
 * latencies, the heap check when run, and the targets of issues #6 and #18, each marked met or missed.
 */
public final class Report {
    private final List<BenchRunner.WorkloadResult> results;
    private final String header;
    private final ColdStartResult coldStart;
    private final HeapCheckResult heap;

    /**
     * @param header    machine, versions and command, already formatted
     * @param results   what the runner measured
     * @param coldStart W7, or null when not run
     * @param heap      the heap check, or null when not run
     */
    public Report(String header, List<BenchRunner.WorkloadResult> results, ColdStartResult coldStart,
                  HeapCheckResult heap) {
        this.header = header;
        this.results = results;
        this.coldStart = coldStart;
        this.heap = heap;
    }

    /** W7's figures, or null when it was not run. */
    public ColdStartResult coldStart() {
        return coldStart;
    }

    /** The heap check's figures, or null when it was not run. */
    public HeapCheckResult heap() {
        return heap;
    }

    /** What the runner measured, workload by workload. */
    public List<BenchRunner.WorkloadResult> results() {
        return results;
    }

    /** The whole report as Markdown. */
    public String markdown() {
        StringBuilder b = new StringBuilder(header).append('\n');
        b.append("| workload | system | ops/s median [min–max] | ratio to A [min–max] | p50 µs | p99 µs "
                + "| CPU µs/op (vs A) | machine CPU µs/op (vs A) | alloc B/op | heap MB held | routing checks |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (BenchRunner.WorkloadResult wr : results) {
            SystemResult base = wr.systems().get(SystemId.A);
            boolean first = true;
            for (SystemResult r : wr.systems().values()) {
                String w = first ? "**" + wr.workload().id() + "** " + wr.workload().title() : "";
                first = false;
                b.append("| ").append(w).append(" | ").append(r.system()).append(' ')
                        .append(wr.workload().label(r.system())).append(" | ");
                if (r.status() != SystemResult.Status.MEASURED || r.rounds().isEmpty()) {
                    b.append(r.note() == null ? "not run" : r.note().replace('|', '/'))
                            .append(" | – | – | – | – | – | – | – | ").append(checks(r)).append(" |\n");
                    continue;
                }
                double cpu = r.median(RoundStats::cpuMicrosPerOp);
                double baseCpu = base == null || base.rounds().isEmpty() ? Double.NaN
                        : base.median(RoundStats::cpuMicrosPerOp);
                double machine = r.median(RoundStats::machineCpuMicrosPerOp);
                double baseMachine = base == null || base.rounds().isEmpty() ? Double.NaN
                        : base.median(RoundStats::machineCpuMicrosPerOp);
                b.append(f("%,.0f [%,.0f–%,.0f]", r.median(RoundStats::opsPerSecond),
                                Stats.min(r.values(RoundStats::opsPerSecond)), Stats.max(r.values(RoundStats::opsPerSecond))))
                        .append(" | ").append(ratio(r, base))
                        .append(" | ").append(f("%,.0f", r.median(RoundStats::p50Nanos) / 1e3))
                        .append(" | ").append(f("%,.0f", r.median(RoundStats::p99Nanos) / 1e3))
                        .append(" | ").append(f("%.1f", cpu)).append(Double.isNaN(baseCpu) ? "" : f(" (%.2f)", cpu / baseCpu))
                        .append(" | ").append(Double.isNaN(machine) ? "–" : f("%.1f", machine))
                        .append(Double.isNaN(machine) || Double.isNaN(baseMachine) ? "" : f(" (%.2f)", machine / baseMachine))
                        .append(" | ").append(f("%,.0f", r.median(RoundStats::allocPerOp)))
                        .append(" | ").append(heldMegabytes(r))
                        .append(" | ").append(checks(r)).append(" |\n");
            }
        }
        b.append('\n').append(readAfterWrite()).append('\n');
        if (coldStart != null) {
            b.append(coldStart.markdown()).append('\n');
        }
        if (heap != null) {
            b.append(heap.markdown()).append('\n');
        }
        b.append(targets());
        return b.toString();
    }

    private static String ratio(SystemResult r, SystemResult base) {
        if (r.system() == SystemId.A) {
            return "1.00";
        }
        List<Double> ratios = r.ratiosTo(base);
        return ratios.isEmpty() ? "–"
                : f("%.2f [%.2f–%.2f]", Stats.median(ratios), Stats.min(ratios), Stats.max(ratios));
    }

    /** The most heap a system held at a round's end (what closing it freed, after full GCs), MB. */
    private static String heldMegabytes(SystemResult r) {
        List<Double> held = r.values(s -> s.heapAfterGc() / 1048576.0).stream().filter(v -> v >= 0).toList();
        return held.isEmpty() ? "–" : f("%.1f", Stats.max(held));
    }

    private static String checks(SystemResult r) {
        if (r.routingChecks() == 0) {
            return "–";
        }
        return (r.status() == SystemResult.Status.MISROUTED ? "FAILED" : "ok") + " (" + r.routingChecks() + ")";
    }

    private Lookup lookup(String id) {
        for (BenchRunner.WorkloadResult wr : results) {
            if (wr.workload().id().equals(id)) {
                return new Lookup(wr.systems());
            }
        }
        return new Lookup(Map.of());
    }

    private record Lookup(Map<SystemId, SystemResult> systems) {
        SystemResult measured(SystemId s) {
            SystemResult r = systems.get(s);
            return r != null && r.status() == SystemResult.Status.MEASURED && !r.rounds().isEmpty() ? r : null;
        }

        String why(SystemId s) {
            SystemResult r = systems.get(s);
            return r == null ? "not run" : r.note() == null ? "not measured" : r.note();
        }
    }

    /** W5's numbers: B's extra wait against the replica's commit-to-visible time measured by A. */
    private String readAfterWrite() {
        Lookup w5 = lookup("W5");
        SystemResult a = w5.measured(SystemId.A);
        SystemResult b = w5.measured(SystemId.B);
        if (a == null || b == null) {
            return "W5 read-after-write: " + (a == null ? "A " + w5.why(SystemId.A) : "B " + w5.why(SystemId.B)) + "\n";
        }
        return f("W5 read-after-write (medians over rounds): the replica's commit-to-visible time (A, polling) "
                        + "p50 %.0f µs, p99 %.0f µs; pgrepl's extra wait with readConsistency=session (B) p50 %.0f µs, "
                        + "p99 %.0f µs; one round trip (B's second read) p50 %.0f µs.%n",
                a.median(s -> s.auxP50()[0]) / 1e3, a.median(s -> s.auxP99()[0]) / 1e3,
                b.median(s -> s.auxP50()[0]) / 1e3, b.median(s -> s.auxP99()[0]) / 1e3,
                b.median(s -> s.auxP50()[1]) / 1e3);
    }

    /** The targets, each with the measured value and met / MISSED / not measured. */
    public List<String> targetLines() {
        List<String> lines = new ArrayList<>();
        ratioTarget(lines, "W1", 0.99);
        ratioTarget(lines, "W2", 0.98);
        ratioTarget(lines, "W3", 0.95);
        ratioTarget(lines, "W4", 0.98);
        cpuTarget(lines, "W1", 1.05);
        cpuTarget(lines, "W3", 1.05);
        metricsCost(lines);
        for (BenchRunner.WorkloadResult wr : results) {
            Lookup l = new Lookup(wr.systems());
            SystemResult a = l.measured(SystemId.A);
            SystemResult b = l.measured(SystemId.B);
            for (SystemId peer : wr.systems().keySet()) {
                if (!wr.workload().isPeer(peer) || wr.workload().unavailable(peer) != null) {
                    continue;
                }
                SystemResult p = l.measured(peer);
                String name = wr.workload().id() + ": B ahead of " + peer;
                if (b == null || a == null) {
                    lines.add(name + " — not measured (" + l.why(b == null ? SystemId.B : SystemId.A) + ")");
                } else if (p == null) {
                    lines.add(name + " — met: " + peer + " not measured (" + l.why(peer) + ")");
                } else {
                    double rb = b.ratioTo(a);
                    double rp = p.ratioTo(a);
                    lines.add(f("%s — %s: %.2f vs %.2f of A", name, rb > rp ? "met" : "MISSED", rb, rp));
                }
            }
        }
        if (coldStart != null) {
            lines.add(coldStart.targetLine());
        }
        if (heap != null) {
            lines.addAll(heap.targetLines());
        }
        Lookup w5 = lookup("W5");
        SystemResult a = w5.measured(SystemId.A);
        SystemResult b = w5.measured(SystemId.B);
        String name = "W5: B's p99 extra wait ≤ the replica's commit-to-visible p99 + one round trip";
        if (a == null || b == null) {
            lines.add(name + " — not measured (" + w5.why(a == null ? SystemId.A : SystemId.B) + ")");
        } else {
            double extra = b.median(s -> s.auxP99()[0]);
            double bound = a.median(s -> s.auxP99()[0]) + b.median(s -> s.auxP50()[1]);
            lines.add(f("%s — %s: %.0f µs vs %.0f µs", name, extra <= bound ? "met" : "MISSED", extra / 1e3, bound / 1e3));
        }
        return lines;
    }

    /** W4 with pgrepl-micrometer's binder (E) against without (B): issue #16's metrics cost. */
    private void metricsCost(List<String> lines) {
        Lookup l = lookup("W4");
        SystemResult b = l.measured(SystemId.B);
        SystemResult e = l.measured(SystemId.E);
        String name = "W4: E (with the Micrometer binder) ≥ 0.98 of B";
        if (b == null || e == null) {
            lines.add(name + " — not measured (" + l.why(b == null ? SystemId.B : SystemId.E) + ")");
            return;
        }
        double r = e.ratioTo(b);
        lines.add(f("%s — %s: %.2f (CPU/op %.2f of B)", name, r >= 0.98 ? "met" : "MISSED", r,
                e.median(RoundStats::cpuMicrosPerOp) / b.median(RoundStats::cpuMicrosPerOp)));
    }

    private void ratioTarget(List<String> lines, String id, double target) {
        Lookup l = lookup(id);
        SystemResult a = l.measured(SystemId.A);
        SystemResult b = l.measured(SystemId.B);
        String name = f("%s: B ≥ %.2f of A", id, target);
        if (a == null || b == null) {
            lines.add(name + " — not measured (" + l.why(a == null ? SystemId.A : SystemId.B) + ")");
            return;
        }
        double r = b.ratioTo(a);
        lines.add(f("%s — %s: %.2f (CPU/op %.2f of A)", name, r >= target ? "met" : "MISSED", r,
                b.median(RoundStats::cpuMicrosPerOp) / a.median(RoundStats::cpuMicrosPerOp)));
    }

    /** Issue #18: B's client CPU per operation at most {@code bound} x A's (medians over rounds). */
    private void cpuTarget(List<String> lines, String id, double bound) {
        Lookup l = lookup(id);
        SystemResult a = l.measured(SystemId.A);
        SystemResult b = l.measured(SystemId.B);
        String name = f("%s: B's CPU/op ≤ %.2f x A's", id, bound);
        if (a == null || b == null) {
            lines.add(name + " — not measured (" + l.why(a == null ? SystemId.A : SystemId.B) + ")");
            return;
        }
        double r = b.median(RoundStats::cpuMicrosPerOp) / a.median(RoundStats::cpuMicrosPerOp);
        lines.add(f("%s — %s: %.2f", name, r <= bound ? "met" : "MISSED", r));
    }

    private String targets() {
        StringBuilder b = new StringBuilder("Targets (issues #6 and #18; a ratio is the median of the per-round ratios):\n\n");
        for (String line : targetLines()) {
            b.append("- ").append(line).append('\n');
        }
        return b.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
