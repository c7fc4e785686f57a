package org.pgrepl.patient;

/** The patient changed since the version the caller read (optimistic locking). */
public class StalePatientException extends PatientDaoException {
    private static final long serialVersionUID = 1L;

    /**
     * @param id              the patient
     * @param expectedVersion the version the caller had
     */
    public StalePatientException(long id, int expectedVersion) {
        super("patient " + id + " is no longer at version " + expectedVersion + ": read it again and retry");
    }
}
