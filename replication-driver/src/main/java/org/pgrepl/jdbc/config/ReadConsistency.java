package org.pgrepl.jdbc.config;

/** What a replica read must have seen ({@code readConsistency}). */
public enum ReadConsistency implements Spelled {
    /** Whatever the replica has replayed. */
    EVENTUAL("eventual"),
    /** Read-your-writes and monotonic reads per logical connection. */
    SESSION("session"),
    /** The same floor shared by every connection to the cluster in this JVM. */
    PROCESS("process");

    private final String spelling;

    ReadConsistency(String spelling) {
        this.spelling = spelling;
    }

    @Override
    public String spelling() {
        return spelling;
    }
}
