package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a wrapped statement needs from the route it was created on: the logical connection to
 * hand out, a hook before SQL runs, and the translation of failures (a write refused on a
 * read-only route names the route; a broken connection is reported so the next statement
 * opens a fresh one).
 */
public interface RouteContext {
    /** The logical connection, returned by {@code getConnection()}. */
    Connection logical();

    /**
     * Called before SQL runs on this route: on the primary a field write; on a replica a few field
     * compares, and a wait only when the connection's read floor moved past what the replica is
     * known to have replayed since the statement was created.
     */
    void beforeExecute() throws SQLException;

    /** Called after SQL ran without an exception (may publish a commit position). */
    void afterExecute() throws SQLException;

    /** The exception the caller sees for a failure on this route. */
    SQLException translate(SQLException e);

    /**
     * Where a failed read moves for its one retry: another usable host's route, or null when the
     * failure may not be retried (not a broken connection, not a read-only autocommit read, or the
     * connection has since been switched to read-write). Marks the failed host down.
     */
    RouteContext rerouteRead(SQLException e) throws SQLException;

    /** The physical connection of this route, to create the retried statement on. */
    Connection physical();
}
