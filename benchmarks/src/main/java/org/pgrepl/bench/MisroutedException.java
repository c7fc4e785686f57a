package org.pgrepl.bench;

/** A routing check found work on the wrong server: the system is reported, not measured. */
public final class MisroutedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what ran where, e.g. "read-only work ran on the primary (port 5432)" */
    public MisroutedException(String message) {
        super(message);
    }
}
