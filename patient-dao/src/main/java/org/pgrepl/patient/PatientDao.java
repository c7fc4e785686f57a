package org.pgrepl.patient;

import static org.pgrepl.patient.jooq.Tables.PATIENTREGISTER;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.pgrepl.jdbc.PgReplConnection;
import org.pgrepl.jdbc.monitor.CausalToken;
import org.pgrepl.patient.jooq.tables.records.PatientregisterRecord;

/**
 * Patient records over any {@link DataSource}, typically a HikariCP pool on a {@code jdbc:pgrepl:}
 * URL: every read runs in a read-only transaction, so the driver sends it to a replica; every
 * write runs on the primary.
 *
 * <p>Read-your-writes: after each write this DAO takes the driver's causal token of the commit,
 * and every later read through this DAO instance requires it, so a replica serves the read only
 * once it has replayed the write (else the driver's {@code readFallback} applies). Share one DAO
 * per application for this to span threads. Over a DataSource that is not pgrepl's, reads are
 * only as fresh as the replica they reach.
 */
public final class PatientDao {
    private final DataSource dataSource;
    private final PatientValidator validator;
    private final DefaultConfiguration jooq;
    private final AtomicReference<CausalToken> lastWrite = new AtomicReference<>();
    private final boolean readYourWrites;

    /** A DAO over {@code dataSource}. */
    public PatientDao(DataSource dataSource) {
        this(dataSource, new PatientValidator(), null);
    }

    /**
     * @param dataSource where connections come from
     * @param validator  the validation rules
     * @param listener   a jOOQ execute listener (e.g. metrics), or null
     */
    public PatientDao(DataSource dataSource, PatientValidator validator, ExecuteListener listener) {
        this(dataSource, validator, listener, true);
    }

    /**
     * @param dataSource     where connections come from
     * @param validator      the validation rules
     * @param listener       a jOOQ execute listener (e.g. metrics), or null
     * @param readYourWrites take a causal token after each write and require it for later reads
     *                       (one extra round trip per write); false: reads are as fresh as the
     *                       replica they reach
     */
    public PatientDao(DataSource dataSource, PatientValidator validator, ExecuteListener listener,
                      boolean readYourWrites) {
        this.readYourWrites = readYourWrites;
        this.dataSource = dataSource;
        this.validator = validator;
        this.jooq = new DefaultConfiguration();
        jooq.set(SQLDialect.POSTGRES);
        // jOOQ's debug logging would print bind values, which are patient data.
        jooq.set(new Settings().withExecuteLogging(false).withRenderSchema(false));
        if (listener != null) {
            jooq.set(listener);
        }
    }

    /** Stores a new patient on the primary. */
    public Patient create(PatientData data) {
        validator.check(data);
        return write("create", ctx -> toPatient(ctx.insertInto(PATIENTREGISTER).set(record(ctx, data))
                .returning().fetchOne()));
    }

    /** Stores several patients in one transaction, as one JDBC batch; all or none. */
    public List<Patient> createAll(List<PatientData> data) {
        for (PatientData d : data) {
            validator.check(d);
        }
        return write("createAll", ctx -> {
            List<PatientregisterRecord> records = new ArrayList<>(data.size());
            for (PatientData d : data) {
                records.add(record(ctx, d));
            }
            var insert = ctx.insertInto(PATIENTREGISTER).set(records.get(0));
            for (PatientregisterRecord r : records.subList(1, records.size())) {
                insert = insert.newRecord().set(r);
            }
            return insert.returning().fetch().map(PatientDao::toPatient);
        });
    }

    /** The patient with this id, read on a replica. */
    public Optional<Patient> findById(long id) {
        return read("findById", ctx -> Optional.ofNullable(ctx.selectFrom(PATIENTREGISTER)
                .where(PATIENTREGISTER.ID.eq(id)).fetchOne()).map(PatientDao::toPatient));
    }

    /** The patient with this email address, compared ignoring case. */
    public Optional<Patient> findByEmail(String email) {
        return read("findByEmail", ctx -> Optional.ofNullable(ctx.selectFrom(PATIENTREGISTER)
                .where(DSL.lower(PATIENTREGISTER.EMAIL).eq(DSL.lower(DSL.val(email)))).fetchOne())
                .map(PatientDao::toPatient));
    }

    /**
     * Patients whose first name, last name or email contains {@code fragment} (ignoring case),
     * by id, page {@code page} (from 0) of {@code size}.
     */
    public List<Patient> search(String fragment, int page, int size) {
        if (page < 0 || size < 1 || size > 1000) {
            throw new IllegalArgumentException("page must be 0 or more and size from 1 to 1000");
        }
        String pattern = "%" + fragment.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        Condition matches = DSL.lower(PATIENTREGISTER.FIRST_NAME).like(pattern, '\\')
                .or(DSL.lower(PATIENTREGISTER.LAST_NAME).like(pattern, '\\'))
                .or(DSL.lower(PATIENTREGISTER.EMAIL).like(pattern, '\\'));
        return read("search", ctx -> ctx.selectFrom(PATIENTREGISTER).where(matches).orderBy(PATIENTREGISTER.ID)
                .limit(size).offset((long) page * size).fetch().map(PatientDao::toPatient));
    }

    /** Up to {@code limit} patients with an id above {@code afterId} (null: from the start), by id. */
    public PatientPage list(Long afterId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be from 1 to 1000");
        }
        List<Patient> rows = read("list", ctx -> ctx.selectFrom(PATIENTREGISTER)
                .where(afterId == null ? DSL.noCondition() : PATIENTREGISTER.ID.gt(afterId))
                .orderBy(PATIENTREGISTER.ID).limit(limit + 1).fetch().map(PatientDao::toPatient));
        if (rows.size() <= limit) {
            return new PatientPage(rows, null);
        }
        List<Patient> page = rows.subList(0, limit);
        return new PatientPage(List.copyOf(page), page.get(limit - 1).id());
    }

    /**
     * Replaces a patient's fields if it is still at {@code expectedVersion}.
     *
     * @throws StalePatientException    when another update came first
     * @throws PatientNotFoundException when there is no such patient
     */
    public Patient update(long id, int expectedVersion, PatientData data) {
        validator.check(data);
        return write("update", ctx -> {
            PatientregisterRecord changes = record(ctx, data);
            changes.setVersion(expectedVersion + 1);
            changes.setUpdatedAt(OffsetDateTime.now());
            PatientregisterRecord updated = ctx.update(PATIENTREGISTER).set(changes)
                    .where(PATIENTREGISTER.ID.eq(id).and(PATIENTREGISTER.VERSION.eq(expectedVersion)))
                    .returning().fetchOne();
            if (updated == null) {
                boolean exists = ctx.fetchExists(PATIENTREGISTER, PATIENTREGISTER.ID.eq(id));
                throw exists ? new StalePatientException(id, expectedVersion) : new PatientNotFoundException(id);
            }
            return toPatient(updated);
        });
    }

    /** @throws PatientNotFoundException when there is no such patient */
    public void delete(long id) {
        write("delete", ctx -> {
            if (ctx.deleteFrom(PATIENTREGISTER).where(PATIENTREGISTER.ID.eq(id)).execute() == 0) {
                throw new PatientNotFoundException(id);
            }
            return null;
        });
    }

    /** How many patients there are, counted on a replica. */
    public long count() {
        return read("count", ctx -> (long) ctx.fetchCount(PATIENTREGISTER));
    }

    // --- transactions --------------------------------------------------------------------------

    @FunctionalInterface
    private interface Work<T> {
        T run(DSLContext ctx);
    }

    private <T> T read(String operation, Work<T> work) {
        return inTransaction(operation, true, work);
    }

    private <T> T write(String operation, Work<T> work) {
        return inTransaction(operation, false, work);
    }

    private <T> T inTransaction(String operation, boolean readOnly, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            PgReplConnection pgrepl = readYourWrites && c.isWrapperFor(PgReplConnection.class)
                    ? c.unwrap(PgReplConnection.class) : null;
            CausalToken token = lastWrite.get();
            if (readOnly && pgrepl != null && token != null) {
                pgrepl.requireCausalToken(token.toString());
            }
            c.setReadOnly(readOnly);
            c.setAutoCommit(false);
            try {
                T result = work.run(DSL.using(jooq.derive(new org.jooq.impl.DefaultConnectionProvider(c))));
                c.commit();
                if (!readOnly && pgrepl != null) {
                    remember(pgrepl.causalToken());
                }
                return result;
            } catch (RuntimeException | SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the original failure is what the caller needs
                }
                throw SqlFailures.translate(operation, e);
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(operation, e);
        }
    }

    private void remember(String token) throws SQLException {
        if (token == null) {
            return;
        }
        CausalToken t = CausalToken.parse(token);
        lastWrite.accumulateAndGet(t, (a, b) -> a == null || Long.compareUnsigned(b.lsn(), a.lsn()) > 0
                || b.timeline() > a.timeline() ? b : a);
    }

    private static PatientregisterRecord record(DSLContext ctx, PatientData d) {
        PatientregisterRecord r = ctx.newRecord(PATIENTREGISTER);
        r.setFirstName(d.firstName());
        r.setLastName(d.lastName());
        r.setDateOfBirth(d.dateOfBirth());
        r.setEmail(d.email());
        r.setPhoneNumber(d.phoneNumber());
        r.setAddress(d.address());
        r.setEmergencyContact(d.emergencyContact());
        return r;
    }

    private static Patient toPatient(PatientregisterRecord r) {
        return new Patient(r.getId(), r.getFirstName(), r.getLastName(), r.getDateOfBirth(), r.getEmail(),
                r.getPhoneNumber(), r.getAddress(), r.getEmergencyContact(), r.getCreatedAt(), r.getUpdatedAt(),
                r.getVersion());
    }
}
