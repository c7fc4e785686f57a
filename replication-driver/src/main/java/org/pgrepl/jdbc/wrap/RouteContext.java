package org.pgrepl.jdbc.wrap;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One route's physical connection as a statement sees it: a hook before and after SQL runs, and
 * the translation of failures (a write refused on a read-only route names the route; a broken
 * connection is reported so the next execution opens a fresh one).
 */
public interface RouteContext {
    /** Called before SQL runs on this route (the primary notes that work may write). */
    void beforeExecute() throws SQLException;

    /** Called after SQL ran without an exception (may publish a commit position). */
    void afterExecute() throws SQLException;

    /** A write happened that no statement execution shows (an updatable ResultSet's row change). */
    void wrote() throws SQLException;

    /** The exception the caller sees for a failure on this route. */
    SQLException translate(SQLException e);

    /**
     * After a failed read: true when it may run once more, on the route the next
     * {@link RouteSource#routeForExecution} gives (a read-only autocommit read that met a broken
     * connection, not a timeout or a cancel). Drops the failed connection.
     */
    boolean rerouteRead(SQLException e) throws SQLException;

    /** The physical connection of this route, to make statements on. */
    Connection physical();
}
