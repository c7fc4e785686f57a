package org.pgrepl.patient;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DefaultConfiguration;
import org.pgrepl.jdbc.PgReplConnection;
import org.pgrepl.jdbc.monitor.CausalToken;

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
    private final SqlRunner sql;
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
     * @param listener       a jOOQ execute listener (e.g. metrics), or null; with one, every
     *                       statement runs through jOOQ's execution so the listener sees it, which
     *                       costs CPU per call that plain JDBC (without one) does not
     * @param readYourWrites take a causal token after each write and require it for later reads
     *                       (one extra round trip per write); false: reads are as fresh as the
     *                       replica they reach
     */
    public PatientDao(DataSource dataSource, PatientValidator validator, ExecuteListener listener,
                      boolean readYourWrites) {
        this.readYourWrites = readYourWrites;
        this.dataSource = dataSource;
        this.validator = validator;
        if (listener == null) {
            this.sql = new JdbcSqlRunner();
        } else {
            DefaultConfiguration jooq = new DefaultConfiguration();
            jooq.set(SQLDialect.POSTGRES);
            // jOOQ's debug logging would print bind values, which are patient data.
            jooq.set(new Settings().withExecuteLogging(false).withRenderSchema(false));
            jooq.set(listener);
            this.sql = new JooqSqlRunner(jooq);
        }
    }

    /** Stores a new patient on the primary. */
    public Patient create(PatientData data) {
        validator.check(data);
        return write("create", c -> sql.patients(c, PatientStatements.INSERT, PatientStatements.written(data)).get(0));
    }

    /** Stores several patients in one transaction, as one multi-row insert; all or none. */
    public List<Patient> createAll(List<PatientData> data) {
        for (PatientData d : data) {
            validator.check(d);
        }
        if (data.isEmpty()) {
            return new ArrayList<>();
        }
        List<Object> values = new ArrayList<>(data.size() * 7);
        for (PatientData d : data) {
            values.addAll(Arrays.asList(PatientStatements.written(d)));
        }
        PatientStatements.Statement insert = data.size() == 1 ? PatientStatements.INSERT
                : PatientStatements.insert(data.size());
        return write("createAll", c -> sql.patients(c, insert, values.toArray()));
    }

    /** The patient with this id, read on a replica. */
    public Optional<Patient> findById(long id) {
        return read("findById", c -> first(sql.patients(c, PatientStatements.FIND_BY_ID, id)));
    }

    /** The patient with this email address, compared ignoring case. */
    public Optional<Patient> findByEmail(String email) {
        return read("findByEmail", c -> first(sql.patients(c, PatientStatements.FIND_BY_EMAIL, email)));
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
        return read("search", c -> sql.patients(c, PatientStatements.SEARCH, pattern, pattern, pattern, size,
                (long) page * size));
    }

    /** Up to {@code limit} patients with an id above {@code afterId} (null: from the start), by id. */
    public PatientPage list(Long afterId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be from 1 to 1000");
        }
        List<Patient> rows = read("list", c -> afterId == null
                ? sql.patients(c, PatientStatements.LIST_FIRST, limit + 1)
                : sql.patients(c, PatientStatements.LIST_AFTER, afterId, limit + 1));
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
        return write("update", c -> {
            Object[] values = Arrays.copyOf(PatientStatements.written(data), 11);
            values[7] = expectedVersion + 1;
            values[8] = OffsetDateTime.now();
            values[9] = id;
            values[10] = expectedVersion;
            Optional<Patient> updated = first(sql.patients(c, PatientStatements.UPDATE, values));
            if (updated.isEmpty()) {
                boolean exists = sql.value(c, PatientStatements.EXISTS, Boolean.class, id);
                throw exists ? new StalePatientException(id, expectedVersion) : new PatientNotFoundException(id);
            }
            return updated.get();
        });
    }

    /** @throws PatientNotFoundException when there is no such patient */
    public void delete(long id) {
        write("delete", c -> {
            if (sql.update(c, PatientStatements.DELETE, id) == 0) {
                throw new PatientNotFoundException(id);
            }
            return null;
        });
    }

    /** How many patients there are, counted on a replica. */
    public long count() {
        return read("count", c -> sql.value(c, PatientStatements.COUNT, Long.class));
    }

    private static Optional<Patient> first(List<Patient> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    // --- transactions --------------------------------------------------------------------------

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
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
                T result = work.run(c);
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
}
