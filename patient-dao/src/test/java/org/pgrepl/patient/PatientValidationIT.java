package org.pgrepl.patient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;

/** Each invalid patient of {@link InvalidPatientTest} is rejected by the DAO with nothing written. */
@ExtendWith(PgClusterExtension.class)
class PatientValidationIT {
    private static EmbeddedCluster cluster;
    private static HikariDataSource pool;
    private static PatientDao dao;

    @BeforeAll
    static void setUp(EmbeddedCluster c) {
        cluster = c;
        PatientMigrations.migrate(c.pgreplUrl(), c.user(), c.password());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(c.pgreplUrl());
        config.setUsername(c.user());
        config.setPassword(c.password());
        pool = new HikariDataSource(config);
        dao = new PatientDao(pool, InvalidPatientTest.VALIDATOR, null);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> invalidPatients() {
        return InvalidPatientTest.invalidPatients();
    }

    private static long rowsOnPrimary() throws Exception {
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM PatientRegister")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidPatients")
    void rejectedWithNothingWritten(String why, PatientData data, List<String> expected) throws Exception {
        long before = rowsOnPrimary();
        assertThatThrownBy(() -> dao.create(data)).isInstanceOfSatisfying(PatientValidationException.class, e -> {
            assertThat(e.errors()).extracting(f -> f.field() + ":" + f.code()).containsExactlyInAnyOrderElementsOf(expected);
            if (data.lastName() != null && data.lastName().length() > 3) {
                assertThat(e.getMessage()).doesNotContain(data.lastName());
            }
        });
        assertThatThrownBy(() -> dao.createAll(List.of(InvalidPatientTest.valid(), data)))
                .isInstanceOf(PatientValidationException.class);
        assertThat(rowsOnPrimary()).isEqualTo(before);
    }
}
