package org.pgrepl.jdbc.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The oracle's book of writes: what each write and each end of a transaction told the
 * application, turned into facts that must or must not be on the servers (invariants 1 and 2),
 * and the facts each logical connection committed or saw, which its reads must show
 * (invariant 3).
 */
final class Ledger {
    /** How a logical transaction ended, as the application was told. */
    enum End { COMMITTED, OUTCOME_UNKNOWN, ROLLED_BACK }

    /** A write the application issued. */
    record Write(String what, List<Fact> facts, boolean readOnly, int conn) {
    }

    /** An open logical transaction (autoCommit off, a statement ran since the last end). */
    static final class Txn {
        final int conn;
        final List<Write> ok = new ArrayList<>();
        boolean failed;
        final Deque<int[]> marks = new ArrayDeque<>();

        Txn(int conn) {
            this.conn = conn;
        }

        List<Fact> facts() {
            List<Fact> all = new ArrayList<>();
            ok.forEach(w -> all.addAll(w.facts()));
            return all;
        }
    }

    private final Trail trail;
    /** Fact -> why it must be on the primary (invariant 2). */
    private final Map<Fact, String> mustBePresent = new LinkedHashMap<>();
    /** Fact -> [invariant, why] it must never be on a writable server. */
    private final Map<Fact, Object[]> mustBeAbsent = new LinkedHashMap<>();
    private final Map<Integer, Set<Fact>> committedBy = new HashMap<>();
    private final Map<Integer, Map<String, Integer>> seenBy = new HashMap<>();
    private final Set<String> knownIds = new HashSet<>();
    Txn txn;
    /**
     * A call that runs SQL for the application without being a statement of its own
     * ({@code setSchema}, {@code isValid}, {@code causalToken}) ran with autoCommit off: pgjdbc
     * may have begun a transaction for it, as it does on a plain connection.
     */
    boolean mayHaveBegun;

    Ledger(Trail trail) {
        this.trail = trail;
    }

    /** Any statement ran (or failed) with autoCommit off: it opens or taints the transaction. */
    void statementRan(int conn, boolean autoCommit, boolean ok) {
        if (autoCommit) {
            return;
        }
        if (txn == null) {
            txn = new Txn(conn);
        }
        if (!ok) {
            txn.failed = true; // PostgreSQL aborts the transaction; pgjdbc's commit() then rolls back
        }
    }

    /** A write returned (ok) or failed with {@code sqlState}. */
    void wrote(Write w, boolean autoCommit, boolean ok, String sqlState) {
        w.facts().forEach(f -> knownIds.add(f.id()));
        if (w.readOnly()) {
            if (ok) {
                throw trail.violated(1, w.what() + " on the read-only route reported success (DESIGN: fails with 25006"
                        + " on every path)");
            }
            w.facts().forEach(f -> mustBeAbsent.put(f, new Object[] {1, "written on the read-only route (" + w.what() + ")"}));
            statementRan(w.conn(), autoCommit, false);
            return;
        }
        if ("25006".equals(sqlState)) {
            throw trail.violated(4, w.what() + " failed with 25006 (read-only transaction) though isReadOnly() is false:"
                    + " the statement did not run under the connection's state (DESIGN: statements follow the connection)");
        }
        if (autoCommit) {
            if (ok) {
                w.facts().forEach(f -> mustBePresent.put(f, "autocommit " + w.what() + " returned normally"));
                committedBy.computeIfAbsent(w.conn(), k -> new HashSet<>()).addAll(w.facts());
            } else if (!"08007".equals(sqlState)) {
                w.facts().forEach(f -> mustBeAbsent.put(f, new Object[] {2, "autocommit " + w.what() + " failed with " + sqlState}));
            }
            return;
        }
        statementRan(w.conn(), false, ok);
        if (ok) {
            txn.ok.add(w);
        } else {
            w.facts().forEach(f -> mustBeAbsent.put(f, new Object[] {2, w.what() + " failed with " + sqlState}));
        }
    }

    void savepoint() {
        if (txn != null) {
            txn.marks.push(new int[] {txn.ok.size(), txn.failed ? 1 : 0});
        }
    }

    /** {@code rollback(savepoint)} returned normally: the writes after the savepoint are undone. */
    void rolledBackToSavepoint() {
        if (txn == null || txn.marks.isEmpty()) {
            return;
        }
        int[] mark = txn.marks.peek();
        List<Write> undone = new ArrayList<>(txn.ok.subList(mark[0], txn.ok.size()));
        txn.ok.subList(mark[0], txn.ok.size()).clear();
        txn.failed = mark[1] == 1;
        undone.forEach(w -> w.facts().forEach(f -> mustBeAbsent.put(f, new Object[] {2, w.what() + " rolled back to a savepoint"})));
    }

    /**
     * The transaction ended; {@code primaryRows} is what the primary holds right after. Checks
     * all-or-none, and what {@code commit()} returning normally promises.
     */
    void ended(String how, End end, Map<String, Integer> primaryRows) {
        Txn t = txn;
        txn = null;
        mayHaveBegun = false;
        if (t == null || t.ok.isEmpty()) {
            return;
        }
        List<Fact> facts = t.facts();
        List<Fact> present = facts.stream().filter(f -> f.presentIn(primaryRows)).toList();
        List<Fact> absent = facts.stream().filter(f -> !f.presentIn(primaryRows)).toList();
        if (!present.isEmpty() && !absent.isEmpty()) {
            throw trail.violated(2, "half a transaction committed after " + how + ": on the primary " + present
                    + ", missing " + absent);
        }
        if (end == End.COMMITTED && !t.failed && !absent.isEmpty()) {
            throw trail.violated(2, how + " returned normally but the transaction's writes " + absent
                    + " are not on the primary (lost transaction reported as committed)");
        }
        if (end == End.ROLLED_BACK && !present.isEmpty()) {
            throw trail.violated(2, how + " but the transaction's writes " + present + " are committed");
        }
        if (present.isEmpty()) {
            facts.forEach(f -> mustBeAbsent.put(f, new Object[] {2, "its transaction ended with " + how + ", none committed"}));
        } else {
            facts.forEach(f -> mustBePresent.put(f, "its transaction committed (" + how + ")"));
            committedBy.computeIfAbsent(t.conn, k -> new HashSet<>()).addAll(facts);
        }
    }

    /** Invariants 1 and 2 against the servers, after every step. */
    void checkRows(Map<String, Integer> primaryRows, Map<String, Integer> writableRows) {
        for (Map.Entry<Fact, Object[]> e : mustBeAbsent.entrySet()) {
            if (!e.getKey().absentFrom(writableRows)) {
                throw trail.violated((Integer) e.getValue()[0], e.getKey() + " is committed, though " + e.getValue()[1]);
            }
        }
        for (Map.Entry<Fact, String> e : mustBePresent.entrySet()) {
            if (!e.getKey().presentIn(primaryRows)) {
                throw trail.violated(2, e.getKey() + " is not on the primary, though " + e.getValue());
            }
        }
    }

    /**
     * Invariant 3 for one read of connection {@code conn}: it shows every fact the connection
     * committed, its open transaction's writes when it ran inside it, and nothing older than
     * what the connection already saw of committed data.
     */
    void checkRead(String what, int conn, Map<String, Integer> visible, boolean insideWriteTxn, Map<String, Integer> primaryRows) {
        List<Fact> missing = new ArrayList<>();
        for (Fact f : committedBy.getOrDefault(conn, Set.of())) {
            if (!f.presentIn(visible)) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw trail.violated(3, what + " did not see this connection's committed writes " + missing
                    + " (saw " + visible.size() + " rows)");
        }
        if (insideWriteTxn && txn != null && !txn.failed) {
            List<Fact> own = txn.facts().stream().filter(f -> !f.presentIn(visible)).toList();
            if (!own.isEmpty()) {
                throw trail.violated(3, what + " inside the open transaction did not see its own writes " + own);
            }
        }
        Map<String, Integer> seen = seenBy.computeIfAbsent(conn, k -> new HashMap<>());
        List<String> wentBack = new ArrayList<>();
        seen.forEach((id, v) -> {
            Integer now = visible.get(id);
            if (now == null || now < v) {
                wentBack.add(id + (v > 0 ? "@v" + v : "") + " now " + (now == null ? "absent" : "v" + now));
            }
        });
        if (!wentBack.isEmpty()) {
            throw trail.violated(3, what + " went back in time: seen before " + wentBack);
        }
        if (!insideWriteTxn) {
            // Only committed data counts for monotonic reads: what the primary holds now at or past it.
            visible.forEach((id, v) -> {
                Integer p = primaryRows.get(id);
                if (p != null && p >= v) {
                    seen.merge(id, v, Math::max);
                }
            });
        }
    }

    /** Facts this connection committed (what a causal token taken now must cover). */
    Set<Fact> committedBy(int conn) {
        return Set.copyOf(committedBy.getOrDefault(conn, Set.of()));
    }

    /** Checks that a read of another connection shows {@code facts} (causal tokens). */
    void checkCovers(String what, Set<Fact> facts, Map<String, Integer> visible) {
        List<Fact> missing = facts.stream().filter(f -> !f.presentIn(visible)).toList();
        if (!missing.isEmpty()) {
            throw trail.violated(3, what + " did not see " + missing);
        }
    }

    /** An id of a row believed committed, to update; null when there is none. */
    String committedId(int pick) {
        List<String> ids = mustBePresent.keySet().stream().filter(f -> f.version() == 0).map(Fact::id).sorted().toList();
        return ids.isEmpty() ? null : ids.get(Math.floorMod(pick, ids.size()));
    }

    boolean txnOpen() {
        return txn != null;
    }

    /** Server sessions of the connection that may be idle in a transaction now. */
    int allowedInTransaction() {
        return txn != null || mayHaveBegun ? 1 : 0;
    }
}
