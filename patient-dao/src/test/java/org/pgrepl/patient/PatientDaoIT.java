package org.pgrepl.patient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;
import org.pgrepl.jdbc.PgReplConnection;

/** The DAO on the embedded cluster through a HikariCP pool on a pgrepl URL. */
@ExtendWith(PgClusterExtension.class)
class PatientDaoIT {
    private static EmbeddedCluster cluster;
    private static HikariDataSource pool;
    /** Runs its statements through jOOQ's execution, so that its listener logs each one's host. */
    private static PatientDao listened;
    /** No listener: runs its statements as plain JDBC (the fast path). */
    private static PatientDao plain;
    /** "read@port" / "write@port" for every statement the DAO ran. */
    private static final ConcurrentLinkedQueue<String> served = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger seq = new AtomicInteger();

    @BeforeAll
    static void setUp(EmbeddedCluster c) {
        cluster = c;
        PatientMigrations.migrate(c.pgreplUrl(), c.user(), c.password());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(c.pgreplUrl() + "?ApplicationName=patient-dao-it");
        config.setUsername(c.user());
        config.setPassword(c.password());
        config.setMaximumPoolSize(8);
        pool = new HikariDataSource(config);
        plain = new PatientDao(pool);
        listened = new PatientDao(pool, new PatientValidator(), new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                try {
                    Connection conn = ctx.connection();
                    String host = conn.unwrap(PgReplConnection.class).currentHost();
                    served.add((conn.isReadOnly() ? "read@" : "write@") + host.substring(host.lastIndexOf(':') + 1));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    /** Each behaviour test runs on both DAOs: the two ways of running the same statements. */
    static Stream<Named<PatientDao>> daos() {
        return Stream.of(Named.of("with a listener (jOOQ execution)", listened),
                Named.of("without a listener (plain JDBC)", plain));
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    @BeforeEach
    void clearLog() {
        served.clear();
    }

    static PatientData patient(String last) {
        int n = seq.incrementAndGet();
        return new PatientData("Ann", last, LocalDate.of(1980, 5, 17), "ann." + last.toLowerCase() + "." + n + "@example.com",
                "+44 20 7946 0" + (n % 1000), "1 High St", "Bob " + last);
    }

    @ParameterizedTest
    @MethodSource("daos")
    void everyMethodWritesOnThePrimaryAndReadsOnAReplica(PatientDao dao) {
        Patient created = dao.create(patient("Alpha"));
        assertThat(created.id()).isPositive();
        assertThat(created.version()).isZero();
        assertThat(dao.findById(created.id())).contains(created);
        assertThat(dao.findByEmail(created.email().toUpperCase())).contains(created);
        assertThat(dao.findById(-1)).isEmpty();

        List<Patient> batch = dao.createAll(List.of(patient("Bravo"), patient("Bravo"), patient("Charlie")));
        assertThat(batch).hasSize(3).allMatch(p -> p.id() > created.id());
        assertThat(dao.search("bRaVo", 0, 10)).extracting(Patient::id)
                .containsAll(batch.subList(0, 2).stream().map(Patient::id).toList());
        assertThat(dao.search("bravo", 0, 1)).hasSize(1);
        assertThat(dao.search("%", 0, 10)).isEmpty(); // LIKE wildcards are literal
        assertThat(dao.search(created.email().substring(0, 12), 0, 10)).extracting(Patient::id).contains(created.id());

        Patient updated = dao.update(created.id(), 0, new PatientData("Anna", "Alpha", created.dateOfBirth(),
                created.email(), null, null, null));
        assertThat(updated.version()).isEqualTo(1);
        assertThat(updated.firstName()).isEqualTo("Anna");
        assertThat(updated.phoneNumber()).isNull();
        assertThat(dao.findById(created.id())).contains(updated);

        long before = dao.count();
        dao.delete(batch.get(2).id());
        assertThat(dao.count()).isEqualTo(before - 1);
        assertThat(dao.findById(batch.get(2).id())).isEmpty();

        cluster.awaitReplication();
        assertThat(plain.findById(updated.id())).as("both paths map a row alike")
                .isEqualTo(listened.findById(updated.id())).contains(updated);

        if (dao != listened) {
            return; // only the listener sees each statement's host; both route alike (same transactions)
        }
        Set<Integer> replicaPorts = Set.copyOf(cluster.replicas().stream().map(Server::port).toList());
        int primaryPort = cluster.primary().port();
        assertThat(served).isNotEmpty().allSatisfy(s -> {
            int port = Integer.parseInt(s.substring(s.indexOf('@') + 1));
            if (s.startsWith("read@")) {
                assertThat(replicaPorts).as("read served by a replica").contains(port);
            } else {
                assertThat(port).as("write served by the primary").isEqualTo(primaryPort);
            }
        });
        assertThat(served).anyMatch(s -> s.startsWith("read@")).anyMatch(s -> s.startsWith("write@"));
    }

    @ParameterizedTest
    @MethodSource("daos")
    void failuresHaveTheirOwnTypesAndNoPatientData(PatientDao dao) {
        Patient p = dao.create(patient("Delta"));
        PatientData sameEmail = new PatientData("Eve", "Echo", LocalDate.of(1970, 1, 1), p.email().toUpperCase(),
                null, null, null);
        assertThatThrownBy(() -> dao.create(sameEmail)).isInstanceOf(DuplicateEmailException.class)
                .hasMessageNotContaining(p.email()).hasNoCause();
        assertThatThrownBy(() -> dao.update(p.id(), 7, p.data())).isInstanceOf(StalePatientException.class);
        assertThatThrownBy(() -> dao.update(Long.MAX_VALUE, 0, p.data())).isInstanceOf(PatientNotFoundException.class);
        assertThatThrownBy(() -> dao.delete(Long.MAX_VALUE)).isInstanceOf(PatientNotFoundException.class);
        Patient other = dao.create(patient("Foxtrot"));
        assertThatThrownBy(() -> dao.update(other.id(), 0, new PatientData("Eve", "Echo", LocalDate.of(1970, 1, 1),
                p.email(), null, null, null))).isInstanceOf(DuplicateEmailException.class);
    }

    @ParameterizedTest
    @MethodSource("daos")
    void aCallerReadsItsOwnWriteAtOnce(PatientDao dao) {
        for (int i = 0; i < 200; i++) {
            Patient p = dao.create(patient("Golf"));
            assertThat(dao.findById(p.id())).as("own write %d", i).isPresent();
        }
    }

    @ParameterizedTest
    @MethodSource("daos")
    void keysetPagingNeitherSkipsNorRepeatsWhileRowsAreInserted(PatientDao dao) throws Exception {
        List<Patient> existing = dao.createAll(java.util.stream.IntStream.range(0, 120)
                .mapToObj(i -> patient("Hotel")).toList());
        cluster.awaitReplication();
        Set<Long> expected = new HashSet<>();
        PatientPage page = dao.list(null, 1000);
        while (true) {
            page.patients().forEach(p -> expected.add(p.id()));
            if (page.nextAfterId() == null) {
                break;
            }
            page = dao.list(page.nextAfterId(), 1000);
        }
        assertThat(expected).containsAll(existing.stream().map(Patient::id).toList());

        AtomicBoolean inserting = new AtomicBoolean(true);
        Thread inserter = new Thread(() -> {
            while (inserting.get()) {
                dao.create(patient("India"));
            }
        });
        inserter.start();
        List<Long> seen = new ArrayList<>();
        try {
            Long after = null;
            do {
                PatientPage p = dao.list(after, 7);
                p.patients().forEach(x -> seen.add(x.id()));
                after = p.nextAfterId();
            } while (after != null);
        } finally {
            inserting.set(false);
            inserter.join();
        }
        assertThat(seen).doesNotHaveDuplicates().isSorted();
        assertThat(seen).containsAll(expected);
    }

    @ParameterizedTest
    @MethodSource("daos")
    void ofTwoConcurrentUpdatesExactlyOneWins(PatientDao dao) throws Exception {
        for (int round = 0; round < 10; round++) {
            Patient p = dao.create(patient("Juliet"));
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService two = Executors.newFixedThreadPool(2);
            List<Future<Optional<Patient>>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                String first = t == 0 ? "Kate" : "Lima";
                results.add(two.submit(() -> {
                    go.await();
                    try {
                        return Optional.of(dao.update(p.id(), p.version(), new PatientData(first, p.lastName(),
                                p.dateOfBirth(), p.email(), null, null, null)));
                    } catch (StalePatientException e) {
                        return Optional.empty();
                    }
                }));
            }
            go.countDown();
            int wins = 0;
            for (Future<Optional<Patient>> f : results) {
                wins += f.get().isPresent() ? 1 : 0;
            }
            two.shutdown();
            assertThat(wins).as("round %d", round).isEqualTo(1);
            assertThat(dao.findById(p.id()).orElseThrow().version()).isEqualTo(1);
        }
    }

    @Test
    void invalidDataIsRejectedBeforeAnySqlRuns() {
        served.clear();
        assertThatThrownBy(() -> listened.create(new PatientData("", "Doe", LocalDate.of(3000, 1, 1), "x", null, null, null)))
                .isInstanceOfSatisfying(PatientValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field)
                                .containsExactlyInAnyOrder("firstName", "email", "dateOfBirth"));
        assertThat(served).isEmpty();
    }

    static void exec(String sql) throws SQLException {
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
