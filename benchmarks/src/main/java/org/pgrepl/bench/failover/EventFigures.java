package org.pgrepl.bench.failover;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.pgrepl.infra.FailoverWindow;
import org.pgrepl.infra.FailoverWindow.Op;
import org.pgrepl.infra.PatroniWatch;

/**
 * What one system did through one event, computed from the load's log as PatroniFailoverIT
 * computes it, over the event's whole window: from 1 s before the event to the end of the rejoin
 * (every member running again, as Patroni reports).
 *
 * @param system          the system
 * @param members         the cluster's size
 * @param event           what happened (switchover, or SIGKILL of the leader and its restart)
 * @param electionMs      from the event to Patroni reporting another leader (return of switchover()/failover())
 * @param rejoinMs        from the event to the end of the rejoin
 * @param outageMs        longest gap between successful writes in the window
 * @param afterElectionMs from Patroni's election to the write that ended that gap (0 if it ended before)
 * @param window          the read figures of the window, against Patroni's outage and the standbys that answered
 * @param readsByMember   which members served the window's reads, as a standby or as the primary
 * @param tailSharePct    share of the reads in the tail after the rejoin that a standby answered
 * @param tailReads       successful reads in that tail
 * @param readsFailed     failed reads in the event's count window
 * @param writesFailed    failed writes in the event's count window
 * @param acknowledged    commits acknowledged in the event's count window
 * @param lost            of those, ids missing on the final leader
 * @param standbyWrites   writes refused with SQLState 25006 (sent to a standby) in the count window
 */
public record EventFigures(FailoverSystem system, int members, String event, long electionMs, long rejoinMs, long outageMs,
                           long afterElectionMs, FailoverWindow window, String readsByMember, double tailSharePct,
                           long tailReads, long readsFailed, long writesFailed, long acknowledged, long lost,
                           long standbyWrites) {

    /**
     * When an event happened, all System.nanoTime(): its start, Patroni's election, the end of
     * the rejoin, the end of the tail after it. The count window [countFrom, countTo) is
     * contiguous across events, from the start of the load to its end, so the counts of a
     * system's rows add up to its run.
     */
    record Times(String event, long start, long elected, long rejoined, long tailEnd, long countFrom, long countTo) {
        Times withCount(long from, long to) {
            return new Times(event, start, elected, rejoined, tailEnd, from, to);
        }

        /** The whole window starts 1 s before the event: a gap that opened just before it counts. */
        long from() {
            return start - 1_000_000_000L;
        }
    }

    /** Computes one row from the finished load, the watch and the ids present on the final leader. */
    static EventFigures of(FailoverSystem system, int members, Times t, FailoverLoad load, PatroniWatch watch,
                           Set<Long> present) {
        long[] ok = load.writes.stream().filter(o -> o.ok() && in(o.endNanos(), t.from(), t.rejoined()))
                .mapToLong(Op::endNanos).sorted().toArray();
        long gap = 0;
        long gapEnd = t.start();
        for (int i = 1; i < ok.length; i++) {
            if (ok[i] - ok[i - 1] > gap) {
                gap = ok[i] - ok[i - 1];
                gapEnd = ok[i];
            }
        }
        // The launcher knows there was no usable leader from its request to the election it saw.
        FailoverWindow window = FailoverWindow.of(load.reads, watch, t.from(), t.rejoined(),
                List.<long[]>of(new long[] {t.start(), t.elected()}));
        List<Op> windowReads = load.reads.stream().filter(o -> o.ok() && in(o.endNanos(), t.from(), t.rejoined())).toList();
        // Named by member and role, so a reader pool left on a promoted member shows as such.
        Map<String, Long> byMember = new TreeMap<>(windowReads.stream()
                .collect(Collectors.groupingBy(o -> o.member() + (o.onStandby() ? " (standby)" : " (primary)"),
                        Collectors.counting())));
        String readsByMember = byMember.isEmpty() ? "none" : byMember.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100.0 * e.getValue() / windowReads.size()))
                .collect(Collectors.joining(", "));
        long tailReads = load.reads.stream().filter(o -> o.ok() && o.startNanos() >= t.rejoined()
                && o.endNanos() <= t.tailEnd()).count();
        long tailStandby = load.reads.stream().filter(o -> o.ok() && o.onStandby() && o.startNanos() >= t.rejoined()
                && o.endNanos() <= t.tailEnd()).count();
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
        return new EventFigures(system, members, t.event(), ms(t.elected() - t.start()), ms(t.rejoined() - t.start()),
                ms(gap), Math.max(0, ms(gapEnd - t.elected())), window, readsByMember,
                tailReads == 0 ? 0 : 100.0 * tailStandby / tailReads, tailReads, failed(load.reads, t),
                failed(load.writes, t), acked, lost, load.writes.stream().filter(o -> "25006".equals(o.sqlState())
                        && o.endNanos() >= t.countFrom() && o.endNanos() < t.countTo()).count());
    }

    private static long failed(Collection<Op> ops, Times t) {
        return ops.stream().filter(o -> !o.ok() && o.endNanos() >= t.countFrom() && o.endNanos() < t.countTo()).count();
    }

    private static boolean in(long at, long from, long to) {
        return at >= from && at <= to;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
