package org.pgrepl.jdbc.model;

/** What an execution does; the writes insert or update rows the oracle can name. */
enum StatementKind {
    READ, PROBE, INSERT, UPDATE, BATCH, INSERT_RETURNING, COPY, UPDATABLE_INSERT;

    boolean writes() {
        return this != READ && this != PROBE;
    }
}
