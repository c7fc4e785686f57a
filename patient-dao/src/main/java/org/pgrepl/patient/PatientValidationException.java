package org.pgrepl.patient;

import java.util.List;

/** Invalid patient data, rejected before any SQL ran; lists every field error. */
public class PatientValidationException extends PatientDaoException {
    private static final long serialVersionUID = 1L;
    private final List<FieldError> errors;

    /** @param errors every invalid field (names and codes, no values) */
    public PatientValidationException(List<FieldError> errors) {
        super("invalid patient data: " + errors);
        this.errors = List.copyOf(errors);
    }

    /** Every invalid field. */
    public List<FieldError> errors() {
        return errors;
    }
}
