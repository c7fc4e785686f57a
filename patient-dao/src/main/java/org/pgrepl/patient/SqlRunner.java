package org.pgrepl.patient;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.pgrepl.patient.PatientStatements.Statement;

/**
 * Runs one of the DAO's pre-rendered statements on a connection the DAO's transaction holds.
 * {@link JdbcSqlRunner} runs it as plain JDBC (the default); {@link JooqSqlRunner} through jOOQ's
 * execution so that an {@link org.jooq.ExecuteListener} sees every statement.
 */
interface SqlRunner {
    /** Every row of a statement that returns full {@code PatientRegister} rows, in order. */
    List<Patient> patients(Connection c, Statement s, Object... values) throws SQLException;

    /** The single column of the single row {@code s} returns. */
    <T> T value(Connection c, Statement s, Class<T> type, Object... values) throws SQLException;

    /** The update count of {@code s}. */
    int update(Connection c, Statement s, Object... values) throws SQLException;
}
