package org.pgrepl.patient;

import java.time.LocalDate;

/**
 * The fields of a patient, for {@link PatientDao#create} and {@link PatientDao#update}. Checked
 * by {@link PatientValidator} before any SQL runs. {@link #toString()} masks every field.
 *
 * @param firstName        required, at most 100 characters
 * @param lastName         required, at most 100 characters
 * @param dateOfBirth      required, from 1900-01-01 to today
 * @param email            required, unique ignoring case
 * @param phoneNumber      optional
 * @param address          optional
 * @param emergencyContact optional
 */
public record PatientData(String firstName, String lastName, LocalDate dateOfBirth, String email,
                          String phoneNumber, String address, String emergencyContact) {
    /** Never shows a field: patient data stays out of logs and messages. */
    @Override
    public String toString() {
        return "PatientData[***]";
    }
}
