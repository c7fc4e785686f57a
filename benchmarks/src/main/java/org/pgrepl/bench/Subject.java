package org.pgrepl.bench;

/** A system opened for one workload for one round: shared resources (pools) and its workers. */
public interface Subject extends AutoCloseable {
    /** The worker for thread {@code index} (0-based), opened before timing starts. */
    Worker worker(int index) throws Exception;

    /**
     * Told when this system's workers start ({@code true}) and stop running a slice: what the
     * system does in the background for its own sake (a metrics scrape) runs only while it is
     * measured, not on the other systems' time.
     */
    default void active(boolean on) {
    }

    /** Closes the shared resources after the workers are closed. */
    @Override
    void close() throws Exception;
}
