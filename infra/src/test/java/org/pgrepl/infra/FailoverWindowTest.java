package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.FailoverWindow.Op;
import org.pgrepl.infra.PatroniWatch.Sample;

/** The arithmetic of the failover figures, on a made-up timeline (times in ms). */
class FailoverWindowTest {
    private static long ms(long ms) {
        return ms * 1_000_000L;
    }

    private static Op read(long startMs, boolean ok, boolean onStandby, String state) {
        return new Op(ms(startMs), ms(startMs + 5), ok, onStandby, null, state);
    }

    @Test
    void countsFailuresAgainstTheOutageAndReadsAgainstTheStandbysThatAnswered() {
        List<Sample> samples = new ArrayList<>();
        for (long t = 0; t <= 4000; t += 100) {
            // No running leader from 1100 to 1400; no standby from 2000 to 2500 (a 2-member rejoin).
            String leader = t >= 1100 && t <= 1400 ? null : "m1";
            Set<String> standbys = t >= 2000 && t <= 2500 ? Set.of() : Set.of("m2");
            samples.add(new Sample(ms(t), leader, standbys));
        }
        List<Op> reads = List.of(
                read(150, true, true, null),     // on a standby while one answered
                read(1200, false, false, "08006"), // in the outage
                read(1800, false, false, "57P01"), // outside it
                read(2150, true, false, null),   // on the primary while no standby answered: not held against
                read(2550, true, false, null),   // during the return (sample before: none): not counted
                read(2650, true, false, null),   // on the primary while a standby answered: counted
                read(2750, true, true, null),    // the first read on a standby after the return at 2600
                read(3000, true, true, null));
        try (PatroniWatch watch = PatroniWatch.replay(samples)) {
            FailoverWindow w = FailoverWindow.of(reads, watch, 0, ms(3500), List.<long[]>of(new long[] {ms(900), ms(1050)}));

            // The launcher's 900..1050 and no leader from 1000 (the last sample with one) to 1500.
            assertThat(w.outageMs()).isEqualTo(600);
            assertThat(w.failedInOutage()).isEqualTo(1);
            assertThat(w.failedOutside()).isEqualTo(1);
            assertThat(w.failedDetail()).isEqualTo("outage: 08006 x1 at 1205..1205 ms; outside: 57P01 x1 at 1805..1805 ms");
            assertThat(w.reads()).isEqualTo(6);
            assertThat(w.readsWithStandby()).isEqualTo(4);
            assertThat(w.standbyReads()).isEqualTo(3);
            assertThat(w.standbySharePct()).isEqualTo(75.0);
            assertThat(w.returnDelaysMs()).containsExactly(150L);
        }
    }

    @Test
    void aStandbyThatNoReadReachesIsNever() {
        List<Sample> samples = List.of(new Sample(ms(0), "m1", Set.of("m2")), new Sample(ms(100), "m1", Set.of()),
                new Sample(ms(200), "m1", Set.of("m2")), new Sample(ms(300), "m1", Set.of("m2")));
        try (PatroniWatch watch = PatroniWatch.replay(samples)) {
            FailoverWindow w = FailoverWindow.of(List.of(read(250, true, false, null)), watch, 0, ms(300), List.of());
            assertThat(w.returnDelaysMs()).containsExactly(-1L);
            assertThat(w.returnsText()).isEqualTo("never");
            assertThat(w.outageMs()).isZero();
        }
    }
}
