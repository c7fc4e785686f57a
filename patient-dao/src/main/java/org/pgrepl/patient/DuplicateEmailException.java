package org.pgrepl.patient;

/** Another patient has this email address (compared ignoring case). */
public class DuplicateEmailException extends PatientDaoException {
    private static final long serialVersionUID = 1L;

    /** @param operation the DAO operation that failed */
    public DuplicateEmailException(String operation) {
        super(operation + ": another patient has this email address");
    }
}
