package org.pgrepl.bench;

/**
 * One thread's handle on a system under a workload: repeats one operation, and checks on its own
 * connections that the work lands where it should.
 */
public interface Worker extends AutoCloseable {
    /** One operation of the workload (the unit of ops/s and of the latency samples). */
    void op() throws Exception;

    /**
     * Runs the workload's access pattern with the routing probe in place of its statements, on
     * the same connections or pool the operation uses.
     *
     * @throws MisroutedException when a read or a write reached the wrong kind of server
     */
    void checkRouting(RoutingProbe probe) throws Exception;

    /**
     * Extra samples of the last operation in nanoseconds (e.g. the read-your-writes wait), in
     * the order of {@link Workload#auxNames()}; null when the workload has none. Negative values
     * are not recorded.
     */
    default long[] aux() {
        return null;
    }

    /** Releases what this worker holds alone (the subject closes shared resources). */
    @Override
    default void close() throws Exception {
    }
}
