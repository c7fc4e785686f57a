package org.pgrepl.jdbc.metrics;

/** Why a statement ran where it did ({@link RouteTarget}). */
public enum RouteReason {
    /** The connection was read-write: everything it runs goes to the primary. */
    WRITE,
    /** The connection was read-only and a usable replica served it. */
    READ_ONLY,
    /** The statement continued an open transaction, which finishes where it began. */
    TRANSACTION_PINNED,
    /** Read-only, but every replica was beyond the lag bound: the primary served it. */
    LAG_EXCLUSION,
    /** Read-only, but no replica replayed the read floor within readYourWritesTimeout: the primary served it. */
    READ_YOUR_WRITES_TIMEOUT,
    /** Read-only, but no replica was up (down, stalled, backing off, or none listed): the primary served it. */
    NO_USABLE_REPLICA,
    /** A serializable read-only transaction, which a standby cannot run: the primary served it. */
    SERIALIZABLE,
    /** A causal token from before a promotion (an older timeline): the primary served it. */
    PROMOTION
}
