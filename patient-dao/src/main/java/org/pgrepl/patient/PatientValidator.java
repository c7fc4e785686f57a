package org.pgrepl.patient;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks patient data before any SQL runs, reporting every invalid field at once. The rules match
 * the table's constraints and are stricter where the database cannot judge (names, phone numbers
 * and addresses take only the characters such values have, which also keeps SQL-looking text out).
 */
public final class PatientValidator {
    static final LocalDate OLDEST = LocalDate.of(1900, 1, 1);
    private static final Pattern NAME = Pattern.compile("\\p{L}[\\p{L}\\p{M} .'\\-]*");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()\\-]{2,31}");
    private static final Pattern ADDRESS = Pattern.compile("[\\p{L}\\p{M}\\p{N} .,#/'\\-]+");
    private static final Pattern CONTACT = Pattern.compile("[\\p{L}\\p{M}\\p{N} .,'()+\\-]+");

    private final Clock clock;

    /** Validates against today's date in the system clock's zone. */
    public PatientValidator() {
        this(Clock.systemDefaultZone());
    }

    /** @param clock what "today" is, for the date of birth */
    public PatientValidator(Clock clock) {
        this.clock = clock;
    }

    /** Every field error of {@code data}; empty when it is valid. */
    public List<FieldError> errors(PatientData data) {
        List<FieldError> errors = new ArrayList<>();
        if (data == null) {
            errors.add(new FieldError("patient", "required"));
            return errors;
        }
        text(errors, "firstName", data.firstName(), true, 100, NAME);
        text(errors, "lastName", data.lastName(), true, 100, NAME);
        text(errors, "email", data.email(), true, 254, EMAIL);
        text(errors, "phoneNumber", data.phoneNumber(), false, 32, PHONE);
        text(errors, "address", data.address(), false, 500, ADDRESS);
        text(errors, "emergencyContact", data.emergencyContact(), false, 200, CONTACT);
        LocalDate dob = data.dateOfBirth();
        if (dob == null) {
            errors.add(new FieldError("dateOfBirth", "required"));
        } else if (dob.isAfter(LocalDate.now(clock))) {
            errors.add(new FieldError("dateOfBirth", "in_future"));
        } else if (dob.isBefore(OLDEST)) {
            errors.add(new FieldError("dateOfBirth", "too_old"));
        }
        return errors;
    }

    /** @throws PatientValidationException listing every field error */
    public void check(PatientData data) {
        List<FieldError> errors = errors(data);
        if (!errors.isEmpty()) {
            throw new PatientValidationException(errors);
        }
    }

    private static void text(List<FieldError> errors, String field, String value, boolean required, int max,
                             Pattern allowed) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "required"));
            }
            return;
        }
        if (value.isBlank()) {
            errors.add(new FieldError(field, required ? "blank" : "blank_instead_of_absent"));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "control_characters"));
        } else if (value.length() > max) {
            errors.add(new FieldError(field, "too_long"));
        } else if (!allowed.matcher(value).matches()) {
            errors.add(new FieldError(field, "format"));
        }
    }
}
