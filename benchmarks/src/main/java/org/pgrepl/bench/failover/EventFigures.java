package org.pgrepl.bench.failover;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one system did through one event, computed from the load's log as PatroniFailoverIT
 * computes it.
 *
 * @param system          the system
 * @param event           what happened (switchover, or SIGKILL of the leader and its restart)
 * @param electionMs      from the event to Patroni reporting another leader (return of switchover()/failover())
 * @param outageMs        longest gap between successful writes from 1 s before the event to steady state
 * @param afterElectionMs from Patroni's election to the write that ended that gap (0 if it ended before)
 * @param replicaSharePct share of the steady window's successful reads answered by a standby
 * @param steadyReads     successful reads in the steady window
 * @param readsByMember   which members served the steady window's reads, as a standby or as the primary
 * @param readsFailed     failed reads in the event's count window
 * @param writesFailed    failed writes in the event's count window
 * @param acknowledged    commits acknowledged in the event's count window
 * @param lost            of those, ids missing on the final leader
 * @param standbyWrites   writes refused with SQLState 25006 (sent to a standby) in the count window
 */
public record EventFigures(FailoverSystem system, String event, long electionMs, long outageMs, long afterElectionMs,
                           double replicaSharePct, long steadyReads, String readsByMember, long readsFailed, long writesFailed,
                           long acknowledged, long lost, long standbyWrites) {

    /**
     * When an event happened, all System.nanoTime(). The count window [countFrom, countTo) is
     * contiguous across events, from the start of the load to its end, so the counts of a
     * system's rows add up to its run.
     */
    record Times(String event, long start, long elected, long steadyFrom, long steadyTo, long countFrom, long countTo) {
        Times withCount(long from, long to) {
            return new Times(event, start, elected, steadyFrom, steadyTo, from, to);
        }
    }

    /** Computes one row from the finished load and the ids present on the final leader. */
    static EventFigures of(FailoverSystem system, Times t, FailoverLoad load, Set<Long> present) {
        // The outage is the longest gap between successful writes from the event to steady state;
        // starting 1 s before the event catches a gap that opened just before it.
        long[] ok = load.writes.stream().filter(o -> o.ok() && o.atNanos() >= t.start() - 1_000_000_000L
                && o.atNanos() <= t.steadyFrom()).mapToLong(FailoverLoad.Op::atNanos).sorted().toArray();
        long gap = 0;
        long gapEnd = t.start();
        for (int i = 1; i < ok.length; i++) {
            if (ok[i] - ok[i - 1] > gap) {
                gap = ok[i] - ok[i - 1];
                gapEnd = ok[i];
            }
        }
        long steadyReads = load.reads.stream().filter(o -> o.ok() && in(o.atNanos(), t.steadyFrom(), t.steadyTo())).count();
        long onReplica = load.reads.stream().filter(o -> o.ok() && o.onReplica()
                && in(o.atNanos(), t.steadyFrom(), t.steadyTo())).count();
        double share = steadyReads == 0 ? 0 : 100.0 * onReplica / steadyReads;
        // Named by member and role, so a reader pool left on a promoted member shows as such.
        Map<String, Long> byMember = new TreeMap<>(load.reads.stream()
                .filter(o -> o.ok() && in(o.atNanos(), t.steadyFrom(), t.steadyTo()))
                .collect(Collectors.groupingBy(o -> o.member() + (o.onReplica() ? " (standby)" : " (primary)"),
                        Collectors.counting())));
        String readsByMember = byMember.isEmpty() ? "none" : byMember.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100.0 * e.getValue() / steadyReads))
                .collect(Collectors.joining(", "));
        long acked = 0;
        long lost = 0;
        for (Map.Entry<Long, Long> e : load.acknowledged.entrySet()) {
            if (e.getValue() >= t.countFrom() && e.getValue() < t.countTo()) {
                acked++;
                if (!present.contains(e.getKey())) {
                    lost++;
                }
            }
        }
        return new EventFigures(system, t.event(), ms(t.elected() - t.start()), ms(gap),
                Math.max(0, ms(gapEnd - t.elected())), share, steadyReads, readsByMember, failed(load.reads, t),
                failed(load.writes, t),
                acked, lost, load.writes.stream().filter(o -> "25006".equals(o.sqlState())
                        && o.atNanos() >= t.countFrom() && o.atNanos() < t.countTo()).count());
    }

    private static long failed(Collection<FailoverLoad.Op> ops, Times t) {
        return ops.stream().filter(o -> !o.ok() && o.atNanos() >= t.countFrom() && o.atNanos() < t.countTo()).count();
    }

    private static boolean in(long at, long from, long to) {
        return at >= from && at <= to;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
