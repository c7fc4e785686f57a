-- Visits of a patient, by the patient register's id; no patient fields here.
CREATE TABLE visit (
    id         bigserial PRIMARY KEY,
    patient_id bigint NOT NULL,
    reason     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
