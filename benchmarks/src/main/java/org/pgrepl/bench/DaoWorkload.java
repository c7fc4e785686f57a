package org.pgrepl.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.pgrepl.patient.Patient;
import org.pgrepl.patient.PatientDao;
import org.pgrepl.patient.PatientData;
import org.pgrepl.patient.PatientMigrations;
import org.pgrepl.patient.PatientValidator;

/**
 * W6: the patient DAO against hand-written JDBC, two threads, 80% {@code findById} of an existing
 * patient and 20% {@code create}, each in its own transaction as the DAO runs them (reads
 * read-only). A: hand-written JDBC (same SQL, same mapping to {@link Patient}) on two plain
 * HikariCP pools picked by hand. B: {@link PatientDao} on one pgrepl pool with read-your-writes
 * off (like for like). C here is the DAO's default, read-your-writes on (a causal token per write).
 */
public final class DaoWorkload implements Workload {
    private static final int THREADS = 2;
    private static final int SEED = 1_000;
    private static final String INSERT = "INSERT INTO PatientRegister (first_name, last_name, date_of_birth, email,"
            + " phone_number, address, emergency_contact) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *";
    private static final String FIND = "SELECT * FROM PatientRegister WHERE id = ?";
    private static final AtomicLong SEQ = new AtomicLong();
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private volatile long minId;
    private volatile long maxId;

    @Override
    public String id() {
        return "W6";
    }

    @Override
    public String title() {
        return "PatientDao vs hand-written JDBC (2 threads, 80% findById, 20% create)";
    }

    @Override
    public int threads() {
        return THREADS;
    }

    @Override
    public List<SystemId> systems() {
        return List.of(SystemId.A, SystemId.B, SystemId.C);
    }

    @Override
    public String label(SystemId system) {
        return switch (system) {
            case A -> "hand-written JDBC, pgjdbc pools routed by hand";
            case B -> "PatientDao on pgrepl, read-your-writes off";
            case C -> "PatientDao on pgrepl, read-your-writes on (default)";
            case D, E, F -> system.label();
        };
    }

    @Override
    public boolean isPeer(SystemId system) {
        return false;
    }

    /** Migrates the DAO's schema on the primary and seeds patients to read, once per run. */
    private synchronized void prepare(Target t) throws Exception {
        if (maxId > 0) {
            return;
        }
        PatientMigrations.migrate(t.pgjdbcUrl(t.primary()), t.user(), t.password());
        try (Connection c = Systems.plain(t, t.primary())) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int i = 0; i < SEED; i++) {
                    bind(ps, patient());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT min(id), max(id) FROM PatientRegister")) {
                rs.next();
                minId = rs.getLong(1);
                maxId = rs.getLong(2);
            }
            c.commit();
        }
        BenchData.awaitReplicas(t);
    }

    @Override
    public Subject open(SystemId system, Target t) throws Exception {
        prepare(t);
        HikariDataSource reads;
        HikariDataSource writes;
        if (system == SystemId.A) {
            reads = Systems.replicasPool("W6-A-replicas", t, THREADS);
            writes = Systems.pool("W6-A-primary", t.pgjdbcUrl(t.primary()), Systems.PGJDBC_DRIVER, t, THREADS);
        } else {
            reads = Systems.pool("W6-" + system, t.pgreplUrl(null), Systems.PGREPL_DRIVER, t, THREADS);
            writes = reads;
        }
        PatientDao dao = system == SystemId.A ? null
                : new PatientDao(reads, new PatientValidator(), null, system == SystemId.C);
        return new Subject() {
            @Override
            public Worker worker(int index) {
                return new DaoWorker(dao, reads, writes);
            }

            @Override
            public void close() {
                reads.close();
                writes.close();
            }
        };
    }

    private final class DaoWorker implements Worker {
        private final PatientDao dao;
        private final DataSource reads;
        private final DataSource writes;

        DaoWorker(PatientDao dao, DataSource reads, DataSource writes) {
            this.dao = dao;
            this.reads = reads;
            this.writes = writes;
        }

        @Override
        public void op() throws Exception {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            if (r.nextInt(100) < PooledWorkload.READ_PERCENT) {
                long id = r.nextLong(minId, maxId + 1);
                Patient p = dao != null ? dao.findById(id).orElse(null) : jdbcFind(id);
                if (p == null) {
                    throw new IllegalStateException("a seeded patient was not found");
                }
            } else if (dao != null) {
                dao.create(patient());
            } else {
                jdbcCreate(patient());
            }
        }

        private Patient jdbcFind(long id) throws SQLException {
            try (Connection c = reads.getConnection()) {
                c.setReadOnly(true);
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(FIND)) {
                    ps.setLong(1, id);
                    Patient p;
                    try (ResultSet rs = ps.executeQuery()) {
                        p = rs.next() ? map(rs) : null;
                    }
                    c.commit();
                    return p;
                } finally {
                    c.setAutoCommit(true);
                    c.setReadOnly(false);
                }
            }
        }

        private Patient jdbcCreate(PatientData d) throws SQLException {
            try (Connection c = writes.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    bind(ps, d);
                    Patient p;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        p = map(rs);
                    }
                    c.commit();
                    return p;
                } finally {
                    c.setAutoCommit(true);
                }
            }
        }

        @Override
        public void checkRouting(RoutingProbe probe) throws Exception {
            try (Connection c = reads.getConnection()) {
                c.setReadOnly(true);
                probe.expectReplica(c, "a DAO read");
                c.setReadOnly(false);
            }
            try (Connection c = writes.getConnection()) {
                probe.expectPrimary(c, "a DAO write");
            }
        }
    }

    private static PatientData patient() {
        return new PatientData("Bench", "Mark", LocalDate.of(1980, 1, 1),
                "bench." + RUN + "." + SEQ.incrementAndGet() + "@example.com", "1234567", "1 Bench St", "Jane Mark");
    }

    private static void bind(PreparedStatement ps, PatientData d) throws SQLException {
        ps.setString(1, d.firstName());
        ps.setString(2, d.lastName());
        ps.setDate(3, Date.valueOf(d.dateOfBirth()));
        ps.setString(4, d.email());
        ps.setString(5, d.phoneNumber());
        ps.setString(6, d.address());
        ps.setString(7, d.emergencyContact());
    }

    private static Patient map(ResultSet rs) throws SQLException {
        return new Patient(rs.getLong("id"), rs.getString("first_name"), rs.getString("last_name"),
                rs.getObject("date_of_birth", LocalDate.class), rs.getString("email"), rs.getString("phone_number"),
                rs.getString("address"), rs.getString("emergency_contact"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                rs.getInt("version"));
    }
}
