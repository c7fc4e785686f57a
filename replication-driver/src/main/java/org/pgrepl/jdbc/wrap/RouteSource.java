package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a statement asks of its logical connection. Statements follow the connection: every
 * execution asks for the route current at that moment, so a statement created on one route and
 * run after {@code setReadOnly}, {@code setAutoCommit}, {@code setSchema} or a commit runs
 * under the connection's state then, not the state it was created under.
 */
public interface RouteSource {
    /**
     * The route for the next execution: opened, re-picked and synced with the session state, its
     * read floor reached. Waits are bounded by {@code queryTimeoutSeconds} when it is positive.
     */
    RouteContext routeForExecution(int queryTimeoutSeconds) throws SQLException;

    /** The logical connection, returned by {@code getConnection()}. */
    Connection logical();

    /** Ends a wait of pgrepl's own (read-your-writes) now running for this connection, with 57014. */
    void cancelWait();
}
