package org.pgrepl.examples;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.pgrepl.jdbc.PgReplConnection;
import org.pgrepl.patient.Patient;
import org.pgrepl.patient.PatientDao;
import org.pgrepl.patient.PatientData;
import org.pgrepl.patient.PatientMigrations;
import org.pgrepl.patient.PatientValidator;

/** The patient DAO as a library: migrate, write, read back; each call's serving host recorded. */
public final class DaoExample {
    private DaoExample() {
    }

    /**
     * One DAO call and where it ran.
     *
     * @param call   what the DAO did
     * @param kind   read or write
     * @param host   host:port that served it
     */
    public record Call(String call, String kind, String host) {
    }

    /** Records the serving host of every statement the DAO runs (no patient data: only the SQL verb). */
    static final class WhereListener implements ExecuteListener {
        final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        volatile String current = "";

        @Override
        public void executeStart(ExecuteContext ctx) {
            try {
                Connection c = ctx.connection();
                calls.add(new Call(current, c.isReadOnly() ? "read" : "write",
                        c.unwrap(PgReplConnection.class).currentHost()));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Creates a few patients and reads them back; returns every call with its serving host. */
    public static List<Call> run(String pgreplUrl, Properties credentials, List<PatientData> patients) {
        PatientMigrations.migrate(pgreplUrl, credentials.getProperty("user"), credentials.getProperty("password"));
        WhereListener where = new WhereListener();
        try (HikariDataSource pool = HikariExample.pool(pgreplUrl, credentials, false)) {
            PatientDao dao = new PatientDao(pool, new PatientValidator(), where);
            List<Patient> created = new ArrayList<>();
            for (PatientData p : patients) {
                where.current = "create";
                created.add(dao.create(p));
            }
            for (Patient p : created) {
                where.current = "findById";
                dao.findById(p.id()).orElseThrow();
            }
            where.current = "search";
            dao.search("doe", 0, 10);
            where.current = "count";
            dao.count();
        }
        return List.copyOf(where.calls);
    }

    /** A few sample patients (fictional), with unique emails per run. */
    public static List<PatientData> samplePatients() {
        String run = Long.toString(System.currentTimeMillis(), 36);
        return List.of(
                new PatientData("John", "Doe", LocalDate.of(1990, 1, 1), "john.doe." + run + "@example.com",
                        "1234567890", "123 Main St", "Jane Doe"),
                new PatientData("Mary", "Major", LocalDate.of(1985, 6, 15), "mary.major." + run + "@example.com",
                        "+44 20 7946 0000", "1 High St", "Tom Major"),
                new PatientData("Ravi", "Doerr", LocalDate.of(1972, 11, 3), "ravi.doerr." + run + "@example.com",
                        null, null, null));
    }
}
