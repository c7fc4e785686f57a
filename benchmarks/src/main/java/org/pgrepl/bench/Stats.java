package org.pgrepl.bench;

import java.util.Arrays;
import java.util.List;

/** Small statistics helpers: percentiles of samples, medians of round values. */
public final class Stats {
    private Stats() {
    }

    /** The {@code p}-th percentile (0..100) of sorted samples, nearest rank; NaN when empty. */
    public static double percentile(long[] sorted, int count, double p) {
        if (count == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.min(count - 1, Math.max(0, rank - 1))];
    }

    /** The median of values (mean of the middle two for an even count); NaN when empty. */
    public static double median(List<Double> values) {
        double[] v = values.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** The smallest value; NaN when empty. */
    public static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** The largest value; NaN when empty. */
    public static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Concatenates the first {@code counts[i]} samples of each array and sorts them. */
    public static long[] mergeSorted(long[][] samples, int[] counts) {
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < samples.length; i++) {
            System.arraycopy(samples[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return all;
    }
}
