package org.pgrepl.jdbc.model;

/** One unit of work a pool thread does on a borrowed connection, or a fault it injects between borrows. */
enum PoolOp {
    READ, WRITE, COPY, UPDATABLE_INSERT, TXN_COMMIT, TXN_SQL_COMMIT, TXN_AUTOCOMMIT_ON, TXN_ROLLBACK, WRITE_READ_ONLY,
    TERMINATE_PRIMARY, TERMINATE_REPLICAS, TOGGLE_REPLAY;

    boolean fault() {
        return this == TERMINATE_PRIMARY || this == TERMINATE_REPLICAS || this == TOGGLE_REPLAY;
    }
}
