package org.pgrepl.patient;

import static org.pgrepl.patient.jooq.Tables.PATIENTREGISTER;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.jooq.Field;
import org.pgrepl.patient.jooq.tables.records.PatientregisterRecord;

/**
 * Maps a row of {@code PatientRegister}, all columns in the generated table's field order (as
 * {@link PatientStatements} selects and returns them), to a {@link Patient}: by hand, by column
 * index, with no jOOQ record or reflection in between.
 */
final class PatientRows {
    private static final int ID = column(PATIENTREGISTER.ID);
    private static final int FIRST_NAME = column(PATIENTREGISTER.FIRST_NAME);
    private static final int LAST_NAME = column(PATIENTREGISTER.LAST_NAME);
    private static final int DATE_OF_BIRTH = column(PATIENTREGISTER.DATE_OF_BIRTH);
    private static final int EMAIL = column(PATIENTREGISTER.EMAIL);
    private static final int PHONE_NUMBER = column(PATIENTREGISTER.PHONE_NUMBER);
    private static final int ADDRESS = column(PATIENTREGISTER.ADDRESS);
    private static final int EMERGENCY_CONTACT = column(PATIENTREGISTER.EMERGENCY_CONTACT);
    private static final int CREATED_AT = column(PATIENTREGISTER.CREATED_AT);
    private static final int UPDATED_AT = column(PATIENTREGISTER.UPDATED_AT);
    private static final int VERSION = column(PATIENTREGISTER.VERSION);

    private PatientRows() {
    }

    /** The JDBC column index (from 1) of {@code field} in a full row. */
    private static int column(Field<?> field) {
        return PATIENTREGISTER.indexOf(field) + 1;
    }

    /** The patient on the current row of {@code rs}. */
    static Patient patient(ResultSet rs) throws SQLException {
        return new Patient(rs.getLong(ID), rs.getString(FIRST_NAME), rs.getString(LAST_NAME),
                rs.getObject(DATE_OF_BIRTH, LocalDate.class), rs.getString(EMAIL), rs.getString(PHONE_NUMBER),
                rs.getString(ADDRESS), rs.getString(EMERGENCY_CONTACT),
                rs.getObject(CREATED_AT, OffsetDateTime.class), rs.getObject(UPDATED_AT, OffsetDateTime.class),
                rs.getInt(VERSION));
    }

    /** The patient in a record jOOQ fetched (the path with an execute listener). */
    static Patient patient(PatientregisterRecord r) {
        return new Patient(r.getId(), r.getFirstName(), r.getLastName(), r.getDateOfBirth(), r.getEmail(),
                r.getPhoneNumber(), r.getAddress(), r.getEmergencyContact(), r.getCreatedAt(), r.getUpdatedAt(),
                r.getVersion());
    }
}
