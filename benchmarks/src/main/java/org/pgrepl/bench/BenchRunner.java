package org.pgrepl.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs workloads against their systems, interleaved: in every round each system in turn (A B C D,
 * A B C D, ...), after one unrecorded warm-up round. Each system's routing is checked on its own
 * connections before each timed phase and again after it; a misrouted or failing system is
 * reported and not measured further.
 */
public final class BenchRunner {
    private final Target target;
    private final BenchOptions options;
    private final PrintStream log;
    private final RoundRunner rounds;

    /**
     * @param target  the cluster, discovered
     * @param options rounds, durations, filters
     * @param log     where progress goes (not the report)
     */
    public BenchRunner(Target target, BenchOptions options, PrintStream log) {
        this.target = target;
        this.options = options;
        this.log = log;
        this.rounds = new RoundRunner(options.smoke ? Math.max(1024, options.smokeOps) : 1 << 19);
    }

    /** The outcome of one workload: one result per system, in table order. */
    public record WorkloadResult(Workload workload, Map<SystemId, SystemResult> systems) {
    }

    /** Runs every workload the options select, in order. */
    public List<WorkloadResult> run(List<Workload> workloads) throws InterruptedException {
        List<WorkloadResult> out = new ArrayList<>();
        for (Workload w : workloads) {
            if (!options.selected(w.id())) {
                continue;
            }
            out.add(run(w));
        }
        return out;
    }

    private WorkloadResult run(Workload w) throws InterruptedException {
        Map<SystemId, SystemResult> results = new LinkedHashMap<>();
        String workloadNa = w.unavailable();
        for (SystemId s : w.systems()) {
            if (!options.systems.contains(s)) {
                continue;
            }
            SystemResult r = new SystemResult(s, new RoutingProbe(target));
            String na = workloadNa != null ? workloadNa : w.unavailable(s);
            if (na != null) {
                r.fail(SystemResult.Status.NOT_APPLICABLE, na);
            }
            results.put(s, r);
        }
        if (workloadNa != null) {
            log.printf("%s: %s%n", w.id(), workloadNa);
            return new WorkloadResult(w, results);
        }
        RoundRunner.Plan warmup = options.warmupPlan();
        if (warmup != null) {
            for (SystemResult r : results.values()) {
                if (r.active()) {
                    runOne(w, r, warmup, "warm-up");
                }
            }
        }
        // The order rotates from round to round: in a fixed order each system would always follow
        // the same neighbour (and its dead tuples, WAL and cache state), a bias of its own.
        List<SystemResult> order = new ArrayList<>(results.values());
        for (int round = 1; round <= options.rounds; round++) {
            for (int k = 0; k < order.size(); k++) {
                SystemResult r = order.get((round - 1 + k) % order.size());
                if (r.active()) {
                    runOne(w, r, options.plan(), "round " + round + "/" + options.rounds);
                }
            }
        }
        return new WorkloadResult(w, results);
    }

    private void runOne(Workload w, SystemResult result, RoundRunner.Plan plan, String label)
            throws InterruptedException {
        SystemId s = result.system();
        Worker[] workers = new Worker[w.threads()];
        Subject subject = null;
        try {
            subject = w.open(s, target);
            for (int i = 0; i < workers.length; i++) {
                workers[i] = subject.worker(i);
            }
            for (Worker worker : workers) {
                worker.checkRouting(result.probe());
            }
            RoundStats stats = rounds.run(workers, plan, w.auxNames().size());
            workers[0].checkRouting(result.probe());
            if (stats.errors() > 0) {
                result.fail(SystemResult.Status.ERROR, stats.errors() + " failed operations, first: "
                        + target.redact(stats.firstError()));
            } else if (!label.equals("warm-up")) {
                result.add(stats.withHeap(RoundRunner.usedHeapAfterGc()));
            }
            log.printf(Locale.ROOT, "%s %-11s %s: %,.0f ops/s, p50 %.0f us, CPU %.1f us/op%s%n", w.id(), label, s,
                    stats.opsPerSecond(), stats.p50Nanos() / 1e3, stats.cpuMicrosPerOp(),
                    stats.errors() > 0 ? ", " + stats.errors() + " errors" : "");
        } catch (MisroutedException e) {
            result.fail(SystemResult.Status.MISROUTED, "misrouted: " + target.redact(e.getMessage()));
            log.printf("%s %s %s: %s%n", w.id(), label, s, result.note());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            result.fail(SystemResult.Status.ERROR, target.redact(RoundRunner.describe(e)));
            log.printf("%s %s %s: error: %s%n", w.id(), label, s, result.note());
        } finally {
            for (Worker worker : workers) {
                closeQuietly(worker);
            }
            closeQuietly(subject);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing after a failure: the failure is what is reported
        }
    }
}
