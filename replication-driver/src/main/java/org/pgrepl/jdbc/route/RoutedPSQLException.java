package org.pgrepl.jdbc.route;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * pgjdbc's exception for a write refused on a read-only route, with the route and host added to
 * the message; SQLState, server error fields and class are the original's, which stays the cause.
 */
final class RoutedPSQLException extends PSQLException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;
    private final transient ServerErrorMessage serverError;

    RoutedPSQLException(String message, PSQLException cause) {
        super(message, null, cause);
        this.sqlState = cause.getSQLState();
        this.serverError = cause.getServerErrorMessage();
    }

    @Override
    public String getSQLState() {
        return sqlState;
    }

    @Override
    public ServerErrorMessage getServerErrorMessage() {
        return serverError;
    }
}
