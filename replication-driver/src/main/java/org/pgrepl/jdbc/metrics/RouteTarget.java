package org.pgrepl.jdbc.metrics;

/** Where a statement ran. */
public enum RouteTarget {
    /** The writable primary (read-write work, and reads that fell back). */
    PRIMARY,
    /** A replica. */
    REPLICA
}
