package org.pgrepl.patient;

/**
 * Base of the DAO's exceptions. Messages name the operation and, for database failures, the
 * SQLState and constraint; never a field value. The server's exception, whose detail can quote
 * values, is deliberately not chained.
 */
public class PatientDaoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, without patient data */
    public PatientDaoException(String message) {
        super(message);
    }
}
