package org.pgrepl.bench;

/**
 * What one system did in one timed round of one workload.
 *
 * @param ops            operations completed in the timed phase
 * @param elapsedNanos   wall time of the timed phase
 * @param errors         operations that threw
 * @param firstError     the first error's description, or null
 * @param p50Nanos       median operation latency
 * @param p99Nanos       99th percentile operation latency
 * @param cpuNanos       CPU time of the client's Java threads over the timed phase (see {@link JavaThreadsCpu})
 * @param allocBytes     bytes allocated by the worker threads over the timed phase
 * @param heapAfterGc    heap the system held at the end of the round: used heap after a full GC with
 *                       it open, less the same after closing it; -1 when not measured
 * @param auxP50         median of each extra sample ({@link Workload#auxNames()})
 * @param auxP99         99th percentile of each extra sample
 * @param machineCpuNanos busy CPU time of the whole machine (client and servers) over the timed
 *                       phase, or -1 where unknown
 */
public record RoundStats(long ops, long elapsedNanos, long errors, String firstError, double p50Nanos,
                         double p99Nanos, long cpuNanos, long allocBytes, long heapAfterGc,
                         double[] auxP50, double[] auxP99, long machineCpuNanos) {

    /** Operations per second. */
    public double opsPerSecond() {
        return elapsedNanos == 0 ? Double.NaN : ops * 1e9 / elapsedNanos;
    }

    /** Client CPU per operation, microseconds. */
    public double cpuMicrosPerOp() {
        return ops == 0 ? Double.NaN : cpuNanos / 1e3 / ops;
    }

    /** Machine CPU (client and servers) per operation, microseconds; NaN where unknown. */
    public double machineCpuMicrosPerOp() {
        return ops == 0 || machineCpuNanos < 0 ? Double.NaN : machineCpuNanos / 1e3 / ops;
    }

    /** Bytes allocated by the workers per operation. */
    public double allocPerOp() {
        return ops == 0 || allocBytes < 0 ? Double.NaN : (double) allocBytes / ops;
    }

    /** The same round with the heap measurement filled in. */
    public RoundStats withHeap(long heap) {
        return new RoundStats(ops, elapsedNanos, errors, firstError, p50Nanos, p99Nanos, cpuNanos, allocBytes,
                heap, auxP50, auxP99, machineCpuNanos);
    }
}
