package org.pgrepl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The compose pair under a real Docker engine: a row written on db-main appears on db-slave.
 * Skipped, with a message saying so, where no Docker engine is reachable.
 */
class ComposeClusterIT {
    @Test
    void aRowWrittenOnDbMainAppearsOnDbSlave() throws Exception {
        ComposeEnv.assumeDocker("SKIPPED ComposeClusterIT: no Docker engine reachable on this machine, so the compose"
                + " pair (infra/docker-compose.yml) cannot be started here; the embedded launcher tests cover the same files.");
        try (ComposeEnv env = ComposeEnv.prepare()) {
            String password = env.adminPassword();
            run(password);
        }
    }

    private static void run(String password) throws Exception {
        try (ComposeContainer compose = new ComposeContainer(new File("docker-compose.yml"))
                .withExposedService("db-main", 5432, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)))
                .withExposedService("db-slave", 5432, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)))) {
            compose.start();
            String main = url(compose, "db-main");
            String slave = url(compose, "db-slave");
            try (Connection c = DriverManager.getConnection(main, "admin", password)) {
                c.createStatement().execute("CREATE TABLE compose_check (id int)");
                c.createStatement().execute("INSERT INTO compose_check VALUES (42)");
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                try (Connection c = DriverManager.getConnection(slave, "admin", password);
                     ResultSet rs = c.createStatement().executeQuery(
                             "SELECT id, pg_is_in_recovery() FROM compose_check")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(List.of(rs.getInt(1), rs.getBoolean(2))).containsExactly(42, true);
                }
            });
        }
    }

    private static String url(ComposeContainer compose, String service) {
        return "jdbc:postgresql://" + compose.getServiceHost(service, 5432) + ":" + compose.getServicePort(service, 5432)
                + "/db_patient_health_record";
    }
}
