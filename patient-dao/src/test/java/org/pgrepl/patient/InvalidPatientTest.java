package org.pgrepl.patient;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The validation rules, one invalid patient per row; the database-backed twin is PatientValidationIT. */
class InvalidPatientTest {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
    static final PatientValidator VALIDATOR = new PatientValidator(
            Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));

    static PatientData valid() {
        return new PatientData("John", "Doe", LocalDate.of(1990, 1, 1), "john.doe@example.com", "+1 (555) 123-4567",
                "123 Main St, Apt 4", "Jane Doe (wife) +1 555 987");
    }

    static Arguments bad(String why, UnaryOperator<PatientData> change, String... expected) {
        return Arguments.of(why, change.apply(valid()), List.of(expected));
    }

    static PatientData with(PatientData d, String first, String last, LocalDate dob, String email, String phone,
                            String address, String contact) {
        return new PatientData(first, last, dob, email, phone, address, contact);
    }

    static Stream<Arguments> invalidPatients() {
        List<Arguments> c = new ArrayList<>();
        c.add(bad("null first name", d -> with(d, null, d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:required"));
        c.add(bad("blank first name", d -> with(d, "   ", d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:blank"));
        c.add(bad("empty last name", d -> with(d, d.firstName(), "", d.dateOfBirth(), d.email(), null, null, null), "lastName:blank"));
        c.add(bad("null last name", d -> with(d, d.firstName(), null, d.dateOfBirth(), d.email(), null, null, null), "lastName:required"));
        c.add(bad("first name 101 chars", d -> with(d, "A".repeat(101), d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:too_long"));
        c.add(bad("last name 10k chars", d -> with(d, d.firstName(), "B".repeat(10_000), d.dateOfBirth(), d.email(), null, null, null), "lastName:too_long"));
        c.add(bad("digits in name", d -> with(d, "J0hn", d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:format"));
        c.add(bad("SQL in first name", d -> with(d, "Robert'); DROP TABLE PatientRegister;--", d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:format"));
        c.add(bad("SQL in last name", d -> with(d, d.firstName(), "x' OR '1'='1", d.dateOfBirth(), d.email(), null, null, null), "lastName:format"));
        c.add(bad("comment in name", d -> with(d, "Ann/*x*/", d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:format"));
        c.add(bad("newline in name", d -> with(d, "Ann\nMarie", d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:control_characters"));
        c.add(bad("NUL in name", d -> with(d, d.firstName(), "Do\u0000e", d.dateOfBirth(), d.email(), null, null, null), "lastName:control_characters"));
        c.add(bad("tab in name", d -> with(d, "Ann\tB", d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:control_characters"));
        c.add(bad("name starting with hyphen", d -> with(d, "-Ann", d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:format"));
        c.add(bad("emoji in name", d -> with(d, "Ann😀", d.lastName(), d.dateOfBirth(), d.email(), null, null, null), "firstName:format"));
        c.add(bad("null email", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), null, null, null, null), "email:required"));
        c.add(bad("blank email", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), " ", null, null, null), "email:blank"));
        c.add(bad("email without @", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), "john.example.com", null, null, null), "email:format"));
        c.add(bad("email two @", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), "a@b@example.com", null, null, null), "email:format"));
        c.add(bad("email no domain dot", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), "john@localhost", null, null, null), "email:format"));
        c.add(bad("email with space", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), "john doe@example.com", null, null, null), "email:format"));
        c.add(bad("email SQL", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), "a'--@example.com", null, null, null), "email:format"));
        c.add(bad("email 255 chars", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), "a".repeat(243) + "@example.com", null, null, null), "email:too_long"));
        c.add(bad("email trailing dot", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), "john@example.", null, null, null), "email:format"));
        c.add(bad("email CRLF", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), "john@example.com\r\nBcc: x@y.z", null, null, null), "email:control_characters"));
        c.add(bad("null birth date", d -> with(d, d.firstName(), d.lastName(), null, d.email(), null, null, null), "dateOfBirth:required"));
        c.add(bad("born tomorrow", d -> with(d, d.firstName(), d.lastName(), TODAY.plusDays(1), d.email(), null, null, null), "dateOfBirth:in_future"));
        c.add(bad("born in 2999", d -> with(d, d.firstName(), d.lastName(), LocalDate.of(2999, 1, 1), d.email(), null, null, null), "dateOfBirth:in_future"));
        c.add(bad("born in 1899", d -> with(d, d.firstName(), d.lastName(), LocalDate.of(1899, 12, 31), d.email(), null, null, null), "dateOfBirth:too_old"));
        c.add(bad("born in year 1", d -> with(d, d.firstName(), d.lastName(), LocalDate.of(1, 1, 1), d.email(), null, null, null), "dateOfBirth:too_old"));
        c.add(bad("born at LocalDate.MIN", d -> with(d, d.firstName(), d.lastName(), LocalDate.MIN, d.email(), null, null, null), "dateOfBirth:too_old"));
        c.add(bad("born at LocalDate.MAX", d -> with(d, d.firstName(), d.lastName(), LocalDate.MAX, d.email(), null, null, null), "dateOfBirth:in_future"));
        c.add(bad("phone letters", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), "call me", null, null), "phoneNumber:format"));
        c.add(bad("phone too long", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), "1".repeat(33), null, null), "phoneNumber:too_long"));
        c.add(bad("phone SQL", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), "1; DELETE FROM x", null, null), "phoneNumber:format"));
        c.add(bad("phone blank", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), " ", null, null), "phoneNumber:blank_instead_of_absent"));
        c.add(bad("phone two digits", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), "12", null, null), "phoneNumber:format"));
        c.add(bad("address SQL", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), null, "1 Main St'; DROP TABLE x;--", null), "address:format"));
        c.add(bad("address too long", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), null, "a".repeat(501), null), "address:too_long"));
        c.add(bad("address control char", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), null, "1 Main\u0007St", null), "address:control_characters"));
        c.add(bad("address angle brackets", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), null, "<script>alert(1)</script>", null), "address:format"));
        c.add(bad("contact too long", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), null, null, "c".repeat(201)), "emergencyContact:too_long"));
        c.add(bad("contact SQL", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), null, null, "Jane; DROP TABLE"), "emergencyContact:format"));
        c.add(bad("contact blank", d -> with(d, d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), null, null, ""), "emergencyContact:blank_instead_of_absent"));
        c.add(bad("everything wrong", d -> with(d, "", null, LocalDate.of(3000, 1, 1), "nope", "x", "<>", ";"),
                "firstName:blank", "lastName:required", "email:format", "phoneNumber:format", "address:format",
                "emergencyContact:format", "dateOfBirth:in_future"));
        return c.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidPatients")
    void rejectsWithTheRightFieldErrors(String why, PatientData data, List<String> expected) {
        List<String> got = VALIDATOR.errors(data).stream().map(e -> e.field() + ":" + e.code()).toList();
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void acceptsValidPatientsIncludingAccentsAndOptionalFieldsAbsent() {
        assertThat(VALIDATOR.errors(valid())).isEmpty();
        assertThat(VALIDATOR.errors(new PatientData("Zoë", "O'Brien-Łukasz", TODAY, "zoe+x@mail.example.org", null,
                null, null))).isEmpty();
        assertThat(VALIDATOR.errors(new PatientData("Al", "Bo", LocalDate.of(1900, 1, 1), "a@b.io", "112", "5", "X")))
                .isEmpty();
    }

    @Test
    void nothingPatientShowsInToStringOrMessages() {
        PatientData d = valid();
        assertThat(d.toString()).doesNotContain("John").doesNotContain("Doe").doesNotContain("example");
        PatientValidationException e = new PatientValidationException(VALIDATOR.errors(
                new PatientData("Robert'); DROP", "Doe", TODAY, "secret@x", null, null, null)));
        assertThat(e.getMessage()).contains("firstName: format").contains("email: format")
                .doesNotContain("Robert").doesNotContain("secret");
        Patient p = new Patient(7, "John", "Doe", TODAY, "john@x.io", null, null, null, null, null, 3);
        assertThat(p.toString()).isEqualTo("Patient[id=7, version=3, fields=***]");
    }
}
