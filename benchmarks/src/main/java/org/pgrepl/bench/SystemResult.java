package org.pgrepl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** One system's outcome under one workload: its measured rounds, or why it was not measured. */
public final class SystemResult {
    /** Whether the system was measured. */
    public enum Status {
        /** Routing checked and rounds measured without errors. */
        MEASURED,
        /** A routing check found work on the wrong server: reported, not measured. */
        MISROUTED,
        /** An operation or the setup failed. */
        ERROR,
        /** The workload or this system has no way to run here. */
        NOT_APPLICABLE
    }

    private final SystemId system;
    private final RoutingProbe probe;
    private final List<RoundStats> rounds = new ArrayList<>();
    private Status status = Status.MEASURED;
    private String note;

    SystemResult(SystemId system, RoutingProbe probe) {
        this.system = system;
        this.probe = probe;
    }

    /** Which system. */
    public SystemId system() {
        return system;
    }

    /** The outcome. */
    public Status status() {
        return status;
    }

    /** Why it was not measured (misroute, error, n/a), or null. */
    public String note() {
        return note;
    }

    /** The measured rounds, in run order. */
    public List<RoundStats> rounds() {
        return List.copyOf(rounds);
    }

    /** Routing checks that ran for this system under this workload. */
    public int routingChecks() {
        return probe.checks();
    }

    /** The replica ports its reads were seen on. */
    public Set<Integer> replicaPortsSeen() {
        return probe.replicaPortsSeen();
    }

    RoutingProbe probe() {
        return probe;
    }

    boolean active() {
        return status == Status.MEASURED;
    }

    void add(RoundStats round) {
        rounds.add(round);
    }

    void fail(Status why, String message) {
        if (status == Status.MEASURED) {
            status = why;
            note = message;
            rounds.clear();
        }
    }

    /** The median over rounds of one round value. */
    public double median(ToDoubleFunction<RoundStats> f) {
        return Stats.median(values(f));
    }

    /** Every round's value of one statistic. */
    public List<Double> values(ToDoubleFunction<RoundStats> f) {
        return rounds.stream().map(r -> f.applyAsDouble(r)).toList();
    }

    /**
     * The median over rounds of this system's ops/s divided by {@code base}'s in the same round
     * (rounds are interleaved, so each ratio compares neighbours in time); NaN without both.
     */
    public double ratioTo(SystemResult base) {
        List<Double> ratios = ratiosTo(base);
        return ratios.isEmpty() ? Double.NaN : Stats.median(ratios);
    }

    /** Every round's ops/s ratio to {@code base}'s in the same round; empty without both. */
    public List<Double> ratiosTo(SystemResult base) {
        if (base == null || rounds.isEmpty() || base.rounds.size() != rounds.size()) {
            return List.of();
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            ratios.add(rounds.get(i).opsPerSecond() / base.rounds.get(i).opsPerSecond());
        }
        return ratios;
    }
}
