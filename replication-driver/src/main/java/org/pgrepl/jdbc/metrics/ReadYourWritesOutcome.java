package org.pgrepl.jdbc.metrics;

/** How a read-your-writes wait on a replica ended. The outcomes are exclusive: each wait has one. */
public enum ReadYourWritesOutcome {
    /** The replica replayed the read floor in time; the read ran there. */
    CAUGHT_UP,
    /** The replica did not, and the read failed (readFallback=fail, or a held statement that cannot move). */
    TIMED_OUT,
    /** The replica did not, and the read went to the primary instead. */
    FELL_BACK
}
