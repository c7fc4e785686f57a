package org.pgrepl.patient;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A stored patient. {@code version} rises with every update; pass it back to
 * {@link PatientDao#update} for optimistic locking. {@link #toString()} shows only the id and
 * version.
 *
 * @param id               identity key
 * @param firstName        first name
 * @param lastName         last name
 * @param dateOfBirth      date of birth
 * @param email            email address
 * @param phoneNumber      phone number, or null
 * @param address          address, or null
 * @param emergencyContact emergency contact, or null
 * @param createdAt        when it was created
 * @param updatedAt        when it was last updated
 * @param version          optimistic-locking version
 */
public record Patient(long id, String firstName, String lastName, LocalDate dateOfBirth, String email,
                      String phoneNumber, String address, String emergencyContact, OffsetDateTime createdAt,
                      OffsetDateTime updatedAt, int version) {
    /** The patient's fields, e.g. to change some and {@link PatientDao#update} them. */
    public PatientData data() {
        return new PatientData(firstName, lastName, dateOfBirth, email, phoneNumber, address, emergencyContact);
    }

    /** Id and version only: patient data stays out of logs and messages. */
    @Override
    public String toString() {
        return "Patient[id=" + id + ", version=" + version + ", fields=***]";
    }
}
