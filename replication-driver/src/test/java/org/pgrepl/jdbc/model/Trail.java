package org.pgrepl.jdbc.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What the application did and was told, step by step: the action trail every violation
 * message carries, so a defect can be read (and replayed by hand) without the debugger.
 */
final class Trail {
    /** The seven guarantees of issue 13, by number. */
    static final String[] INVARIANTS = {
        "",
        "no write on the read-only route commits",
        "atomicity of a logical transaction",
        "read-your-writes and monotonic reads",
        "the connection's state matches the serving server",
        "nothing leaks after close, abort or pool close",
        "one session's failure excludes no healthy host",
        "every failure is an SQLException with a SQLState, bounded in time",
    };

    /**
     * {@code -Dpgrepl.model.skip=5,6} leaves the whole-server checks of invariants 5 and 6 out
     * (diagnosis only: a leak or an excluded host found in every try otherwise hides the rest).
     */
    static boolean skipped(int invariant) {
        String list = System.getProperty("pgrepl.model.skip", "");
        return !list.isBlank() && java.util.Arrays.asList(list.split(",")).contains(String.valueOf(invariant));
    }

    private final String header;
    private final List<String> lines = new ArrayList<>();

    Trail(String header) {
        this.header = header;
    }

    synchronized void add(String line) {
        lines.add(line);
    }

    synchronized int size() {
        return lines.size();
    }

    /** An AssertionError naming the invariant, what broke it, and the whole trail. */
    AssertionError violated(int invariant, String what) {
        return new AssertionError(describe(invariant, what));
    }

    synchronized String describe(int invariant, String what) {
        StringBuilder b = new StringBuilder("invariant ").append(invariant).append(" (").append(INVARIANTS[invariant])
                .append(") violated: ").append(what).append("\n  ").append(header).append("\n  trail:");
        for (int i = 0; i < lines.size(); i++) {
            b.append("\n    ").append(i + 1).append(". ").append(lines.get(i));
        }
        return b.toString();
    }
}
