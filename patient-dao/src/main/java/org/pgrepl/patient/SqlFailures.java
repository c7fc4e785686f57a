package org.pgrepl.patient;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns a failure into the DAO's typed exceptions with the SQLState and constraint name only:
 * the server's message and detail can quote patient values, so they are not kept or chained.
 */
final class SqlFailures {
    static final String EMAIL_KEY = "patientregister_email_lower_key";

    private SqlFailures() {
    }

    static PatientDaoException translate(String operation, Throwable failure) {
        if (failure instanceof PatientDaoException dao) {
            return dao;
        }
        SQLException sql = sqlCause(failure);
        String state = sql == null ? null : sql.getSQLState();
        String constraint = constraint(sql);
        if ("23505".equals(state) && EMAIL_KEY.equals(constraint)) {
            return new DuplicateEmailException(operation);
        }
        return new PatientDataAccessException(operation, state, constraint);
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    private static String constraint(SQLException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof PSQLException p) {
                ServerErrorMessage m = p.getServerErrorMessage();
                if (m != null && m.getConstraint() != null) {
                    return m.getConstraint();
                }
            }
        }
        return null;
    }
}
