package org.pgrepl.patient;

/** No patient has this id. */
public class PatientNotFoundException extends PatientDaoException {
    private static final long serialVersionUID = 1L;

    /** @param id the id looked for */
    public PatientNotFoundException(long id) {
        super("no patient with id " + id);
    }
}
