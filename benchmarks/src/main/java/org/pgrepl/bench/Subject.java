package org.pgrepl.bench;

/** A system opened for one workload for one round: shared resources (pools) and its workers. */
public interface Subject extends AutoCloseable {
    /** The worker for thread {@code index} (0-based), opened before timing starts. */
    Worker worker(int index) throws Exception;

    /** Closes the shared resources after the workers are closed. */
    @Override
    void close() throws Exception;
}
