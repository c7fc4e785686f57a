package org.pgrepl.jdbc.model;

/** A statement the application creates and keeps (legal JDBC), executed later under whatever state the connection has then. */
enum HeldKind {
    /** {@code createStatement()}: runs any SQL kind. */
    STATEMENT,
    /** {@code createStatement(TYPE_FORWARD_ONLY, CONCUR_UPDATABLE)}: inserts through its ResultSet. */
    UPDATABLE_STATEMENT,
    INSERT_PS,
    READ_PS,
    PROBE_PS;

    /** The kind an execution of this held statement performs when {@code wanted} was drawn. */
    StatementKind effective(StatementKind wanted) {
        return switch (this) {
            case STATEMENT -> wanted == StatementKind.COPY || wanted == StatementKind.UPDATABLE_INSERT ? StatementKind.READ : wanted;
            case UPDATABLE_STATEMENT -> StatementKind.UPDATABLE_INSERT;
            case INSERT_PS -> StatementKind.INSERT;
            case READ_PS -> StatementKind.READ;
            case PROBE_PS -> StatementKind.PROBE;
        };
    }
}
