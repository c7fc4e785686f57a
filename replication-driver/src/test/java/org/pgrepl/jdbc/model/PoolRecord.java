package org.pgrepl.jdbc.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the threads sharing a pool were told, in real time: commits that returned, writes that
 * failed, transactions and their ends, and reads with the rows they showed. Checked after the
 * threads finish (process consistency is about commits that returned before a read began).
 */
final class PoolRecord {
    /** A commit that returned normally at {@code endNanos}. */
    record Commit(long endNanos, List<Fact> facts, String what) {
    }

    /** A read that began at {@code startNanos} and returned at {@code endNanos}. */
    record Read(long startNanos, long endNanos, Map<String, Integer> visible, String what) {
    }

    /** A transaction's writes that returned and how it ended. */
    record Txn(List<Fact> facts, Ledger.End end, String what) {
    }

    final ConcurrentLinkedQueue<Commit> commits = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Txn> txns = new ConcurrentLinkedQueue<>();
    /** Facts that must never be on the primary, with the invariant and why. */
    final ConcurrentLinkedQueue<Object[]> mustBeAbsent = new ConcurrentLinkedQueue<>();

    /** Invariants 1 and 2 against the primary's rows. */
    void checkRows(Trail trail, Map<String, Integer> primary) {
        for (Object[] a : mustBeAbsent) {
            Fact f = (Fact) a[0];
            if (!f.absentFrom(primary)) {
                throw trail.violated((Integer) a[1], f + " is committed, though " + a[2]);
            }
        }
        for (Commit c : commits) {
            List<Fact> missing = c.facts().stream().filter(f -> !f.presentIn(primary)).toList();
            if (!missing.isEmpty()) {
                throw trail.violated(2, c.what() + " returned normally but " + missing + " is not on the primary");
            }
        }
        for (Txn t : txns) {
            List<Fact> present = t.facts().stream().filter(f -> f.presentIn(primary)).toList();
            if (!present.isEmpty() && present.size() != t.facts().size()) {
                throw trail.violated(2, "half of a transaction committed (" + t.what() + "): on the primary " + present
                        + " of " + t.facts());
            }
            if (t.end() == Ledger.End.ROLLED_BACK && !present.isEmpty()) {
                throw trail.violated(2, t.what() + " but " + present + " are committed");
            }
        }
    }

    /**
     * Invariant 3 under {@code process}: a read shows every commit that returned before it
     * began, on any thread, and nothing older than any read that returned before it began.
     */
    void checkReads(Trail trail, Map<String, Integer> primary) {
        List<Read> all = new ArrayList<>(reads);
        for (Read r : all) {
            for (Commit c : commits) {
                if (c.endNanos() < r.startNanos()) {
                    List<Fact> missing = c.facts().stream().filter(f -> !f.presentIn(r.visible())).toList();
                    if (!missing.isEmpty()) {
                        throw trail.violated(3, r.what() + " did not see " + missing + ", committed before it began by "
                                + c.what());
                    }
                }
            }
            for (Read earlier : all) {
                if (earlier.endNanos() < r.startNanos()) {
                    earlier.visible().forEach((id, v) -> {
                        Integer p = primary.get(id);
                        Integer now = r.visible().get(id);
                        if (p != null && p >= v && (now == null || now < v)) {
                            throw trail.violated(3, r.what() + " went back in time: " + id + " (v" + v + ") was seen by "
                                    + earlier.what() + ", which returned before it began; now "
                                    + (now == null ? "absent" : "v" + now));
                        }
                    });
                }
            }
        }
    }
}
