package org.pgrepl.jdbc.config;

/** How a replica is picked for a new replica connection ({@code replicaSelection}). */
public enum ReplicaSelection implements Spelled {
    /** Each new replica connection takes the next usable replica in turn. */
    ROUND_ROBIN("roundRobin"),
    /** A usable replica at random. */
    RANDOM("random"),
    /** The usable replica with the fewest open pgrepl connections in this JVM. */
    LEAST_CONNECTIONS("leastConnections"),
    /** The usable replica with the least replay lag, as the cluster monitor last saw it. */
    LEAST_LAG("leastLag");

    private final String spelling;

    ReplicaSelection(String spelling) {
        this.spelling = spelling;
    }

    @Override
    public String spelling() {
        return spelling;
    }
}
