package org.pgrepl.infra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The read figures of one failover event over its whole window (from before the event to the
 * end of the rejoin, not a steady window after settling), set against what a {@link PatroniWatch}
 * saw: Patroni's outage (no running leader, or between the launcher's kill/switchover request and
 * the election it reported), and when a standby answered.
 *
 * @param outageMs            Patroni's outage inside the window, in ms
 * @param reads               successful reads that ended in the window
 * @param readsWithStandby    of those, the ones made while the watch found a standby (in the samples just
 *                            before and just after the read)
 * @param standbyReads        of those, the ones a standby answered
 * @param failedInOutage      failed reads in the window whose run overlapped Patroni's outage
 * @param failedOutside       failed reads in the window entirely outside it
 * @param failedDetail        the failed reads by where and SQLState, with their first and last time from the
 *                            window's start, e.g. {@code outage: 08006 x3 at 1010..1200 ms}; empty when none
 * @param returnDelaysMs      for each return of a standby in the window (after none), the time to
 *                            the first read a standby answered; -1 when none did before the load ended
 */
public record FailoverWindow(long outageMs, long reads, long readsWithStandby, long standbyReads, long failedInOutage,
                             long failedOutside, String failedDetail, List<Long> returnDelaysMs) {

    /**
     * A client operation as the load logged it.
     *
     * @param startNanos when it began (System.nanoTime())
     * @param endNanos   when it ended
     * @param ok         whether it succeeded
     * @param onStandby  for a successful read, whether {@code pg_is_in_recovery()} was true
     * @param member     for a successful read, the member that answered (may be null)
     * @param sqlState   for a failure, its SQLState (null for a pool timeout without one)
     */
    public record Op(long startNanos, long endNanos, boolean ok, boolean onStandby, String member, String sqlState) {
    }

    /**
     * Computes the figures of the window [from, to].
     *
     * @param reads            every read of the load (also those outside the window: a return near its end
     *                         is answered by a later read)
     * @param launcherOutages  intervals the launcher knows had no usable leader: from a kill or switchover
     *                         request to the election Patroni reported
     */
    public static FailoverWindow of(Collection<Op> reads, PatroniWatch watch, long from, long to,
                                    List<long[]> launcherOutages) {
        List<long[]> outages = new ArrayList<>(launcherOutages);
        outages.addAll(watch.noLeader());
        List<PatroniWatch.Sample> samples = watch.samples();
        long[] at = samples.stream().mapToLong(PatroniWatch.Sample::atNanos).toArray();

        long ok = 0;
        long withStandby = 0;
        long onStandby = 0;
        List<Op> inside = new ArrayList<>();
        List<Op> outside = new ArrayList<>();
        for (Op o : reads) {
            if (o.endNanos() < from || o.endNanos() > to) {
                continue;
            }
            if (!o.ok()) {
                if (overlaps(o, outages)) {
                    inside.add(o);
                } else {
                    outside.add(o);
                }
                continue;
            }
            ok++;
            // A standby counts as there when the samples on both sides of the read found one: a
            // read during a change (a promotion, a return) is not held against the client.
            int i = Arrays.binarySearch(at, o.startNanos());
            int before = i >= 0 ? i : -i - 2;
            int j = Arrays.binarySearch(at, o.endNanos());
            int after = j >= 0 ? j : -j - 1;
            if (before >= 0 && after < samples.size() && !samples.get(before).standbys().isEmpty()
                    && !samples.get(after).standbys().isEmpty()) {
                withStandby++;
                if (o.onStandby()) {
                    onStandby++;
                }
            }
        }
        List<Op> standbyReads = reads.stream().filter(o -> o.ok() && o.onStandby())
                .sorted(Comparator.comparingLong(Op::startNanos)).toList();
        List<Long> delays = new ArrayList<>();
        for (long r : watch.standbyReturns()) {
            if (r < from || r > to) {
                continue;
            }
            delays.add(standbyReads.stream().filter(o -> o.startNanos() >= r).findFirst()
                    .map(o -> (o.startNanos() - r) / 1_000_000).orElse(-1L));
        }
        String detail = Stream.of(summary("outage", inside, from), summary("outside", outside, from))
                .filter(t -> !t.isEmpty()).collect(Collectors.joining("; "));
        return new FailoverWindow(clippedMs(outages, from, to), ok, withStandby, onStandby, inside.size(), outside.size(),
                detail, List.copyOf(delays));
    }

    private static String summary(String where, List<Op> failed, long from) {
        return failed.stream().collect(Collectors.groupingBy(o -> String.valueOf(o.sqlState()), TreeMap::new,
                        Collectors.toList())).entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s: %s x%d at %d..%d ms", where, e.getKey(), e.getValue().size(),
                        (e.getValue().stream().mapToLong(Op::endNanos).min().orElseThrow() - from) / 1_000_000,
                        (e.getValue().stream().mapToLong(Op::endNanos).max().orElseThrow() - from) / 1_000_000))
                .collect(Collectors.joining("; "));
    }

    /** Share of the reads made while a standby answered that a standby answered, in %. */
    public double standbySharePct() {
        return readsWithStandby == 0 ? 0 : 100.0 * standbyReads / readsWithStandby;
    }

    /** The return delays as text: "no return" when no standby returned in the window, "never" for -1. */
    public String returnsText() {
        if (returnDelaysMs.isEmpty()) {
            return "no return";
        }
        return returnDelaysMs.stream().map(d -> d < 0 ? "never" : d + " ms").collect(Collectors.joining(", "));
    }

    /** A one-line summary for test output. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Patroni outage %d ms; reads %d, %.1f %% on a standby of %d made while one"
                        + " answered; failed reads %d in the outage, %d outside%s; standby back -> first read on one: %s",
                outageMs, reads, standbySharePct(), readsWithStandby, failedInOutage, failedOutside,
                failedDetail.isEmpty() ? "" : " (" + failedDetail + ")", returnsText());
    }

    private static boolean overlaps(Op o, List<long[]> intervals) {
        for (long[] iv : intervals) {
            if (o.startNanos() <= iv[1] && o.endNanos() >= iv[0]) {
                return true;
            }
        }
        return false;
    }

    // The union of the intervals inside [from, to], in ms.
    private static long clippedMs(List<long[]> intervals, long from, long to) {
        List<long[]> clipped = intervals.stream().map(iv -> new long[] {Math.max(iv[0], from), Math.min(iv[1], to)})
                .filter(iv -> iv[0] < iv[1]).sorted(Comparator.comparingLong(iv -> iv[0])).toList();
        long total = 0;
        long end = Long.MIN_VALUE;
        for (long[] iv : clipped) {
            long start = Math.max(iv[0], end);
            if (iv[1] > start) {
                total += iv[1] - start;
            }
            end = Math.max(end, iv[1]);
        }
        return total / 1_000_000;
    }
}
