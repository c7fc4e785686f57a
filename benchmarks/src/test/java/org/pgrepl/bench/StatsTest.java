package org.pgrepl.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void percentilesUseNearestRank() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Stats.percentile(sorted, 10, 50)).isEqualTo(5);
        assertThat(Stats.percentile(sorted, 10, 99)).isEqualTo(10);
        assertThat(Stats.percentile(sorted, 0, 50)).isNaN();
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void mergeSortedConcatenatesOnlyTheCountedSamples() {
        long[][] samples = {{5, 1, 99}, {3, 99}};
        assertThat(Stats.mergeSorted(samples, new int[] {2, 1})).containsExactly(1, 3, 5);
    }

    @Test
    void optionsParseAndSmokeMeansOneRound() {
        BenchOptions o = BenchOptions.parse("--rounds", "7", "--systems", "a,b", "--workloads", "w1");
        assertThat(o.rounds).isEqualTo(7);
        assertThat(o.systems).containsExactly(SystemId.A, SystemId.B);
        assertThat(o.workloads).containsExactly("W1");
        assertThat(BenchOptions.parse("--smoke", "--rounds", "9").rounds).isEqualTo(1);
        assertThatThrownBy(() -> BenchOptions.parse("--bogus")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bogus");
    }
}
