package org.pgrepl.jdbc.model;

import java.util.concurrent.atomic.AtomicLong;

/** Totals of a run, printed after each property: what the long run reports. */
final class ModelStats {
    static final AtomicLong TRIES = new AtomicLong();
    static final AtomicLong STEPS = new AtomicLong();
    static final AtomicLong FAULTS = new AtomicLong();
    static final AtomicLong CHECKS = new AtomicLong();

    private ModelStats() {
    }

    static String summary() {
        return "runs (tries and shrinking runs) " + TRIES.get() + ", steps " + STEPS.get() + ", faults injected " + FAULTS.get()
                + ", invariant checks " + CHECKS.get();
    }
}
