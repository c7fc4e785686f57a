package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PgBouncer in front of each server: each port reaches its own server, and close leaves nothing. */
class PgBouncerFrontIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        boolean installed = PgBouncerFront.available();
        if (!installed) {
            System.out.println("SKIPPED PgBouncerFrontIT: needs Debian package pgbouncer");
        }
        assumeTrue(installed, "needs Debian package pgbouncer");
        cluster = EmbeddedCluster.builder().replicas(1).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @EnumSource(PgBouncerFront.PoolMode.class)
    void eachPortReachesItsServerAndCloseLeavesNothing(PgBouncerFront.PoolMode mode) throws Exception {
        Path dir;
        long pid;
        try (PgBouncerFront front = PgBouncerFront.start(cluster, mode)) {
            for (Server s : cluster.servers()) {
                assertThat(front.port(s)).isNotEqualTo(s.port());
                try (Connection c = DriverManager.getConnection(front.pgjdbcUrl(s), cluster.credentials());
                     Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT inet_server_port(), pg_is_in_recovery()")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(s.port());
                    assertThat(rs.getBoolean(2)).isEqualTo(s != cluster.primary());
                }
            }
            assertThat(front.pgreplUrl()).startsWith("jdbc:pgrepl://127.0.0.1:" + front.port(cluster.primary()) + ",")
                    .doesNotContain(cluster.password());
            assertThat(front.pgreplUrl().contains("transactionPooling=true"))
                    .isEqualTo(mode == PgBouncerFront.PoolMode.TRANSACTION);
            dir = front.directory();
            pid = pgbouncerPids(dir).findFirst().orElseThrow();
        }
        assertThat(Files.exists(dir)).as("PgBouncer directory deleted").isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pgbouncer killed").isFalse();
    }

    @ParameterizedTest
    @EnumSource(PgBouncerFront.PoolMode.class)
    void aWrongPasswordIsRefused(PgBouncerFront.PoolMode mode) {
        try (PgBouncerFront front = PgBouncerFront.start(cluster, mode)) {
            java.util.Properties wrong = cluster.credentials();
            wrong.setProperty("password", "not-the-password");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> DriverManager.getConnection(front.pgjdbcUrl(cluster.primary()), wrong))
                    .isInstanceOf(SQLException.class);
        }
    }

    private static java.util.stream.Stream<Long> pgbouncerPids(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .filter(p -> p.info().command().map(c -> c.endsWith("pgbouncer")).orElse(false))
                .map(ProcessHandle::pid);
    }
}
