package org.pgrepl.infra;

/**
 * Thrown when an embedded server or cluster cannot be started or controlled. The message
 * carries the tail of the server log or of the failing command's output, so the cause is
 * visible without hunting for the log file (which is deleted when the cluster closes).
 */
public class ClusterStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, with the log tail */
    public ClusterStartException(String message) {
        super(message);
    }

    /**
     * @param message what failed, with the log tail
     * @param cause   the underlying failure
     */
    public ClusterStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
