package org.pgrepl.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Runs workloads against their systems, interleaved: every round opens all systems and runs their
 * timed phases in short slices, taking turns, after one unrecorded warm-up round. Each system's
 * routing is checked on its own connections before each timed phase and again after it; a
 * misrouted or failing system is reported and not measured further.
 */
public final class BenchRunner {
    private final Target target;
    private final BenchOptions options;
    private final PrintStream log;
    private final int capacity;
    private final Map<SystemId, SampleBuffers> buffers = new EnumMap<>(SystemId.class);

    /**
     * @param target  the cluster, discovered
     * @param options rounds, durations, filters
     * @param log     where progress goes (not the report)
     */
    public BenchRunner(Target target, BenchOptions options, PrintStream log) {
        this.target = target;
        this.options = options;
        this.log = log;
        this.capacity = options.smoke ? Math.max(1024, options.smokeOps) : 1 << 19;
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
        Rounds.Plan warmup = options.warmupPlan();
        List<SystemResult> order = new ArrayList<>(results.values());
        Random shuffle = new Random(w.id().hashCode());
        if (warmup != null) {
            runRound(w, order, warmup, false, "warm-up", shuffle);
        }
        for (int round = 1; round <= options.rounds; round++) {
            runRound(w, order, options.plan(), true, "round " + round + "/" + options.rounds, shuffle);
        }
        return new WorkloadResult(w, results);
    }

    /** One system opened for a round: its subject, workers and their threads. */
    private static final class Entry {
        final SystemResult result;
        Subject subject;
        Worker[] workers = new Worker[0];
        Crew crew;
        RoundStats stats;

        Entry(SystemResult result) {
            this.result = result;
        }
    }

    /**
     * One round: every active system is opened, its routing checked and warmed up; then the timed
     * phase runs in slices of {@code --slice-ms}, the systems taking turns in a shuffled order in
     * every slice, so that what the machine does meanwhile (other tenants, the servers' checkpoints
     * and vacuums, JIT and GC) falls on every system alike rather than on whichever ran in that
     * second. Routing is checked again, each system's retained heap measured as it is closed.
     */
    private void runRound(Workload w, List<SystemResult> systems, Rounds.Plan plan, boolean record,
                          String label, Random shuffle) throws InterruptedException {
        List<Entry> open = new ArrayList<>();
        try {
            // B opens first: A then reads from the replica B's connection reads from (see Target.replicaFirst).
            List<SystemResult> opening = new ArrayList<>(systems);
            opening.sort(Comparator.comparing(r -> r.system() != SystemId.B));
            int pairedPort = -1;
            for (SystemResult r : opening) {
                if (r.active()) {
                    Entry e = new Entry(r);
                    open.add(e);
                    Target t = r.system() == SystemId.A ? target.replicaFirst(pairedPort) : target;
                    guard(w, e, label, () -> openEntry(w, e, t));
                    if (r.system() == SystemId.B && r.active()) {
                        pairedPort = r.probe().lastReplicaPort();
                    }
                }
            }
            for (Entry e : open) {
                if (e.result.active()) {
                    guard(w, e, label, () -> whileActive(e, () -> e.crew.warmUp(plan.warmupNanos(),
                            plan.warmupOps() * e.workers.length)));
                }
            }
            long sliceNanos = plan.byCount() ? 0 : Math.min(plan.measureNanos(), options.sliceMillis * 1_000_000L);
            long slices = plan.byCount() ? 1 : Math.max(1, Math.round((double) plan.measureNanos() / sliceNanos));
            List<Entry> turn = new ArrayList<>(open);
            for (long k = 0; k < slices; k++) {
                Collections.shuffle(turn, shuffle);
                for (Entry e : turn) {
                    if (e.result.active() && !e.crew.failing()) {
                        guard(w, e, label, () -> whileActive(e, () -> e.crew.slice(sliceNanos, plan.measureOps())));
                    }
                }
            }
            for (Entry e : open) {
                if (e.result.active()) {
                    guard(w, e, label, () -> {
                        RoutingChecks.all(e.workers, e.result.probe());
                        e.stats = e.crew.stats();
                    });
                }
            }
        } finally {
            Collections.rotate(open, -1);
            for (Entry e : open) {
                boolean measured = e.stats != null && e.result.active();
                long before = record && measured ? Rounds.usedHeapAfterGc() : -1;
                closeEntry(e);
                if (measured) {
                    report(w, e, label, record, before < 0 ? -1 : before - Rounds.usedHeapAfterGc());
                }
            }
        }
    }

    private void openEntry(Workload w, Entry e, Target t) throws Exception {
        e.subject = w.open(e.result.system(), t);
        e.workers = new Worker[w.threads()];
        for (int i = 0; i < e.workers.length; i++) {
            e.workers[i] = e.subject.worker(i);
        }
        RoutingChecks.all(e.workers, e.result.probe());
        e.crew = new Crew(e.result.system().name(), e.workers, buffers(e.result.system()), w.auxNames().size());
    }

    private void report(Workload w, Entry e, String label, boolean record, long retainedHeap) {
        RoundStats stats = e.stats;
        SystemResult result = e.result;
        if (stats.errors() > 0) {
            result.fail(SystemResult.Status.ERROR, stats.errors() + " failed operations, first: "
                    + target.redact(stats.firstError()));
        } else if (record) {
            result.add(stats.withHeap(retainedHeap));
        }
        log.printf(Locale.ROOT, "%s %-11s %s: %,.0f ops/s, p50 %.0f us, CPU %.1f us/op, machine CPU %.1f us/op%s%n",
                w.id(), label, result.system(), stats.opsPerSecond(), stats.p50Nanos() / 1e3,
                stats.cpuMicrosPerOp(), stats.machineCpuMicrosPerOp(),
                stats.errors() > 0 ? ", " + stats.errors() + " errors" : "");
    }

    private SampleBuffers buffers(SystemId system) {
        return buffers.computeIfAbsent(system, s -> new SampleBuffers(capacity));
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs a step of {@code e}'s workers with its subject told it is the one being measured. */
    private static void whileActive(Entry e, Step step) throws Exception {
        e.subject.active(true);
        try {
            step.run();
        } finally {
            e.subject.active(false);
        }
    }

    /** Runs one step of one system; a failure marks that system failed and leaves the others running. */
    private void guard(Workload w, Entry e, String label, Step step) throws InterruptedException {
        SystemId s = e.result.system();
        try {
            step.run();
        } catch (MisroutedException x) {
            e.result.fail(SystemResult.Status.MISROUTED, "misrouted: " + target.redact(x.getMessage()));
            log.printf("%s %s %s: %s%n", w.id(), label, s, e.result.note());
        } catch (InterruptedException x) {
            throw x;
        } catch (Exception | LinkageError x) {
            e.result.fail(SystemResult.Status.ERROR, target.redact(Rounds.describe(x)));
            log.printf("%s %s %s: error: %s%n", w.id(), label, s, e.result.note());
        }
    }

    private static void closeEntry(Entry e) {
        if (e.crew != null) {
            try {
                e.crew.close();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
        for (Worker worker : e.workers) {
            closeQuietly(worker);
        }
        closeQuietly(e.subject);
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
