package org.pgrepl.patient;

import static org.pgrepl.patient.jooq.Tables.PATIENTREGISTER;

import java.sql.Connection;
import java.util.List;
import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConnectionProvider;
import org.pgrepl.patient.PatientStatements.Statement;

/**
 * The cached SQL run through jOOQ's execution (plain-SQL queries, typed binds from the
 * statement), so that the configuration's {@link org.jooq.ExecuteListener} sees each statement
 * with its connection, as it did when the DAO built and rendered a query per call. Only used when
 * a listener is given: it costs a configuration per call and jOOQ's execute, bind and record
 * machinery, which plain JDBC does without.
 */
final class JooqSqlRunner implements SqlRunner {
    private final Configuration configuration;

    JooqSqlRunner(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public List<Patient> patients(Connection c, Statement s, Object... values) {
        return dsl(c).resultQuery(s.sql(), params(s, values)).coerce(PATIENTREGISTER).fetch(PatientRows::patient);
    }

    @Override
    public <T> T value(Connection c, Statement s, Class<T> type, Object... values) {
        return dsl(c).resultQuery(s.sql(), params(s, values)).fetchSingle(0, type);
    }

    @Override
    public int update(Connection c, Statement s, Object... values) {
        return dsl(c).query(s.sql(), params(s, values)).execute();
    }

    private DSLContext dsl(Connection c) {
        return DSL.using(configuration.derive(new DefaultConnectionProvider(c)));
    }

    private static Object[] params(Statement s, Object[] values) {
        if (values.length != s.position().length) {
            throw new IllegalArgumentException("expected " + s.position().length + " values, got " + values.length);
        }
        Param<?>[] params = new Param<?>[values.length];
        for (int i = 0; i < values.length; i++) {
            params[s.position()[i] - 1] = DSL.val(values[i], s.types().get(i));
        }
        return params;
    }
}
