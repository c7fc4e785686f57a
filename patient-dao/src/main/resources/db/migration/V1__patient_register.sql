-- The patient register of the original setup, with an identity key, timestamps and a version
-- for optimistic locking. Unquoted, so psql's INSERT INTO PatientRegister (...) works as before.
-- The constraints repeat the Java validation, so data written around the DAO obeys them too.
CREATE TABLE PatientRegister (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_name        varchar(100) NOT NULL CHECK (btrim(first_name) <> ''),
    last_name         varchar(100) NOT NULL CHECK (btrim(last_name) <> ''),
    date_of_birth     date         NOT NULL CHECK (date_of_birth >= DATE '1900-01-01'
                                                    AND date_of_birth <= CURRENT_DATE),
    email             varchar(254) NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    phone_number      varchar(32),
    address           varchar(500),
    emergency_contact varchar(200),
    created_at        timestamptz  NOT NULL DEFAULT now(),
    updated_at        timestamptz  NOT NULL DEFAULT now(),
    version           integer      NOT NULL DEFAULT 0 CHECK (version >= 0)
);

-- findByEmail, and one account per address whatever its case.
CREATE UNIQUE INDEX patientregister_email_lower_key ON PatientRegister (lower(email));
-- search by name (prefix lookups use it; substring search scans, see the README).
CREATE INDEX patientregister_name_idx ON PatientRegister (lower(last_name), lower(first_name));
