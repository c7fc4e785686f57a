package org.pgrepl.patient;

/**
 * One invalid field: its name and what is wrong, never its value.
 *
 * @param field the field, as named in {@link PatientData}
 * @param code  what is wrong: {@code required}, {@code blank}, {@code too_long}, {@code format},
 *              {@code control_characters}, {@code in_future}, {@code too_old}
 */
public record FieldError(String field, String code) {
    @Override
    public String toString() {
        return field + ": " + code;
    }
}
