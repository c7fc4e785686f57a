package org.pgrepl.patient;

import static org.pgrepl.patient.jooq.Tables.PATIENTREGISTER;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.pgrepl.patient.jooq.tables.records.PatientregisterRecord;

/**
 * The DAO's SQL, built with jOOQ's DSL from the generated table and fields (so names and types
 * follow the migrations) and rendered once, when the class loads. Rendering a query tree on every
 * call was the largest part of the DAO's CPU per operation (issue #18); the statements never
 * change shape, only their bind values do.
 *
 * <p>Every bind is a named parameter; a statement's values are passed in the order of the names
 * given to {@link Statement#of}, whatever order jOOQ renders them in (PostgreSQL's
 * {@code offset ? rows fetch next ? rows only} puts the offset first, for one). Row-returning
 * statements select or return every column of {@code PatientRegister} in the generated table's
 * field order, which {@link PatientRows} relies on.
 */
final class PatientStatements {
    /**
     * One rendered statement.
     *
     * @param sql      SQL with {@code ?} placeholders
     * @param types    the type of each value, in the order the values are passed
     * @param position the JDBC parameter index (from 1) of each value, in the same order
     */
    record Statement(String sql, List<DataType<?>> types, int[] position) {
        static Statement of(Query query, String... names) {
            List<String> rendered = new ArrayList<>();
            Map<String, Param<?>> params = query.getParams();
            params.forEach((name, p) -> {
                if (!p.isInline()) { // e.g. the escape character of LIKE is inlined
                    rendered.add(name);
                }
            });
            if (rendered.size() != names.length || rendered.size() != query.getBindValues().size()) {
                throw new IllegalStateException("the statement binds " + query.getBindValues().size()
                        + " values, under the names " + rendered + "; expected " + List.of(names));
            }
            List<DataType<?>> types = new ArrayList<>(names.length);
            int[] position = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                types.add(params.get(names[i]).getDataType());
                position[i] = rendered.indexOf(names[i]) + 1;
            }
            return new Statement(query.getSQL(), List.copyOf(types), position);
        }
    }

    /** Renders only; never executes (no connection). Schema left out, as the DAO always did. */
    private static final DSLContext RENDER = DSL.using(SQLDialect.POSTGRES,
            new Settings().withRenderSchema(false).withRenderFormatted(false).withExecuteLogging(false));

    /** The columns a create or createAll writes, in the order of {@link #written}. */
    private static final List<Field<?>> WRITTEN = List.of(PATIENTREGISTER.FIRST_NAME, PATIENTREGISTER.LAST_NAME,
            PATIENTREGISTER.DATE_OF_BIRTH, PATIENTREGISTER.EMAIL, PATIENTREGISTER.PHONE_NUMBER,
            PATIENTREGISTER.ADDRESS, PATIENTREGISTER.EMERGENCY_CONTACT);

    static final Statement FIND_BY_ID = Statement.of(RENDER.selectFrom(PATIENTREGISTER)
            .where(PATIENTREGISTER.ID.eq(param("id", PATIENTREGISTER.ID))), "id");

    static final Statement FIND_BY_EMAIL = Statement.of(RENDER.selectFrom(PATIENTREGISTER)
            .where(DSL.lower(PATIENTREGISTER.EMAIL).eq(DSL.lower(param("email", PATIENTREGISTER.EMAIL)))), "email");

    /** Values: the LIKE pattern three times (first name, last name, email), limit, offset. */
    static final Statement SEARCH = Statement.of(RENDER.selectFrom(PATIENTREGISTER)
            .where(DSL.lower(PATIENTREGISTER.FIRST_NAME).like(param("p1", PATIENTREGISTER.FIRST_NAME), '\\')
                    .or(DSL.lower(PATIENTREGISTER.LAST_NAME).like(param("p2", PATIENTREGISTER.LAST_NAME), '\\'))
                    .or(DSL.lower(PATIENTREGISTER.EMAIL).like(param("p3", PATIENTREGISTER.EMAIL), '\\')))
            .orderBy(PATIENTREGISTER.ID)
            .limit(DSL.param("limit", SQLDataType.INTEGER)).offset(DSL.param("offset", SQLDataType.BIGINT)),
            "p1", "p2", "p3", "limit", "offset");

    /** Values: limit. */
    static final Statement LIST_FIRST = Statement.of(RENDER.selectFrom(PATIENTREGISTER)
            .orderBy(PATIENTREGISTER.ID).limit(DSL.param("limit", SQLDataType.INTEGER)), "limit");

    /** Values: after id, limit. */
    static final Statement LIST_AFTER = Statement.of(RENDER.selectFrom(PATIENTREGISTER)
            .where(PATIENTREGISTER.ID.gt(param("after", PATIENTREGISTER.ID)))
            .orderBy(PATIENTREGISTER.ID).limit(DSL.param("limit", SQLDataType.INTEGER)), "after", "limit");

    /** Values: {@link #written}. */
    static final Statement INSERT = insert(1);

    /** Values: {@link #written}, new version, updated at, id, expected version. */
    static final Statement UPDATE = Statement.of(RENDER.update(PATIENTREGISTER)
            .set(PATIENTREGISTER.FIRST_NAME, param("c0", PATIENTREGISTER.FIRST_NAME))
            .set(PATIENTREGISTER.LAST_NAME, param("c1", PATIENTREGISTER.LAST_NAME))
            .set(PATIENTREGISTER.DATE_OF_BIRTH, param("c2", PATIENTREGISTER.DATE_OF_BIRTH))
            .set(PATIENTREGISTER.EMAIL, param("c3", PATIENTREGISTER.EMAIL))
            .set(PATIENTREGISTER.PHONE_NUMBER, param("c4", PATIENTREGISTER.PHONE_NUMBER))
            .set(PATIENTREGISTER.ADDRESS, param("c5", PATIENTREGISTER.ADDRESS))
            .set(PATIENTREGISTER.EMERGENCY_CONTACT, param("c6", PATIENTREGISTER.EMERGENCY_CONTACT))
            .set(PATIENTREGISTER.VERSION, param("newVersion", PATIENTREGISTER.VERSION))
            .set(PATIENTREGISTER.UPDATED_AT, param("updatedAt", PATIENTREGISTER.UPDATED_AT))
            .where(PATIENTREGISTER.ID.eq(param("id", PATIENTREGISTER.ID))
                    .and(PATIENTREGISTER.VERSION.eq(param("expectedVersion", PATIENTREGISTER.VERSION))))
            .returning(), "c0", "c1", "c2", "c3", "c4", "c5", "c6", "newVersion", "updatedAt", "id", "expectedVersion");

    /** Values: id. One boolean column. */
    static final Statement EXISTS = Statement.of(RENDER.select(DSL.field(DSL.exists(DSL.selectOne()
            .from(PATIENTREGISTER).where(PATIENTREGISTER.ID.eq(param("id", PATIENTREGISTER.ID)))))), "id");

    /** Values: id. */
    static final Statement DELETE = Statement.of(RENDER.deleteFrom(PATIENTREGISTER)
            .where(PATIENTREGISTER.ID.eq(param("id", PATIENTREGISTER.ID))), "id");

    /** No values. One bigint column. */
    static final Statement COUNT = Statement.of(RENDER.select(DSL.count().cast(SQLDataType.BIGINT))
            .from(PATIENTREGISTER));

    private PatientStatements() {
    }

    /**
     * An insert of {@code rows} rows returning every column; values: {@link #written} for each
     * row. {@code createAll} renders one per call: its rendering is spread over many rows.
     */
    static Statement insert(int rows) {
        InsertValuesStepN<PatientregisterRecord> insert = RENDER.insertInto(PATIENTREGISTER).columns(WRITTEN);
        String[] names = new String[rows * WRITTEN.size()];
        for (int r = 0; r < rows; r++) {
            List<Param<?>> row = new ArrayList<>(WRITTEN.size());
            for (int c = 0; c < WRITTEN.size(); c++) {
                names[r * WRITTEN.size() + c] = "r" + r + "c" + c;
                row.add(param(names[r * WRITTEN.size() + c], WRITTEN.get(c)));
            }
            insert = insert.values(row);
        }
        return Statement.of(insert.returning(), names);
    }

    /** The values a create writes, in the order of {@link #WRITTEN}. */
    static Object[] written(PatientData d) {
        return new Object[] {d.firstName(), d.lastName(), d.dateOfBirth(), d.email(), d.phoneNumber(),
            d.address(), d.emergencyContact()};
    }

    private static <T> Param<T> param(String name, Field<T> typeOf) {
        return DSL.param(name, typeOf.getDataType());
    }
}
