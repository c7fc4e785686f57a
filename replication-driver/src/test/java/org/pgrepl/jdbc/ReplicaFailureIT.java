package org.pgrepl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;

/** Stopped replicas are skipped, reads fall back or fail as configured, and a returning replica is used again. */
class ReplicaFailureIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.builder().replicas(2).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private Connection open(String params) throws SQLException {
        return DriverManager.getConnection(cluster.pgreplUrl() + "?hostRecheck=300ms&monitorInterval=200ms" + params,
                cluster.credentials());
    }

    private Served read(String params) throws SQLException {
        try (Connection c = open(params)) {
            c.setReadOnly(true);
            return Served.by(c);
        }
    }

    @Test
    void stoppedReplicasAreSkippedThenReadsFallBackThenReturn() throws Exception {
        Server r1 = cluster.server("replica1");
        Server r2 = cluster.server("replica2");
        cluster.stop(r1);
        try {
            for (int i = 0; i < 20; i++) {
                Served s = read("");
                assertThat(s.inRecovery()).isTrue();
                assertThat(s.port()).isEqualTo(r2.port());
            }
            cluster.stop(r2);
            try {
                // One connection alternating: the fallback read stays read-only after a write in between.
                try (Connection c = open("")) {
                    for (int i = 0; i < 5; i++) {
                        c.setReadOnly(true);
                        assertThat(Served.by(c).port()).isEqualTo(cluster.primary().port());
                        try (Statement st = c.createStatement()) {
                            assertThatThrownBy(() -> st.execute("CREATE TABLE must_not_exist_either (id int)"))
                                    .isInstanceOfSatisfying(SQLException.class,
                                            e -> assertThat(e.getSQLState()).isEqualTo("25006"));
                        }
                        c.setReadOnly(false);
                        try (Statement st = c.createStatement()) {
                            st.execute("CREATE TABLE IF NOT EXISTS may_exist (id int)");
                        }
                    }
                }
                for (int i = 0; i < 5; i++) {
                    try (Connection c = open("")) {
                        c.setReadOnly(true);
                        Served s = Served.by(c);
                        assertThat(s.port()).isEqualTo(cluster.primary().port());
                        // a read-only route is read-only wherever it runs
                        try (Statement st = c.createStatement()) {
                            assertThatThrownBy(() -> st.execute("CREATE TABLE must_not_exist (id int)"))
                                    .isInstanceOfSatisfying(SQLException.class,
                                            e -> assertThat(e.getSQLState()).isEqualTo("25006"));
                        }
                        c.setReadOnly(false);
                        try (Statement st = c.createStatement()) {
                            st.execute("CREATE TABLE IF NOT EXISTS may_exist (id int)");
                        }
                    }
                }
                try (Connection c = open("&readFallback=fail")) {
                    c.setReadOnly(true);
                    assertThatThrownBy(() -> Served.by(c)).isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08001");
                        assertThat(e.getMessage()).contains("no usable replica").contains("readFallback=fail")
                                .doesNotContain(cluster.password());
                    });
                }
            } finally {
                cluster.start(r2);
            }
        } finally {
            cluster.start(r1);
        }
        Set<Integer> seen = new HashSet<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            Served s = read("");
            if (s.inRecovery()) {
                seen.add(s.port());
            }
            return seen.size() == 2;
        });
    }

    @Test
    void aPooledConnectionMovesBackFromTheFallbackToAReplica() throws Exception {
        Server r1 = cluster.server("replica1");
        Server r2 = cluster.server("replica2");
        try (Connection c = open("")) {
            c.setReadOnly(true);
            assertThat(Served.by(c).inRecovery()).isTrue();
            cluster.stop(r1);
            cluster.stop(r2);
            try {
                // the held replica connection breaks once; the next statement finds another route
                try {
                    Served.by(c);
                } catch (SQLException e) {
                    // the server's shutdown (57P01) or a connection failure (08xxx)
                    assertThat(e.getSQLState()).matches("08...|57P0.");
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(() -> Served.by(c).port() == cluster.primary().port());
            } finally {
                cluster.start(r1);
                cluster.start(r2);
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> Served.by(c).inRecovery());
        }
    }
}
