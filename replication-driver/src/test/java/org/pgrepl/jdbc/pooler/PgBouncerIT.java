package org.pgrepl.jdbc.pooler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgBouncerFront;
import org.pgrepl.infra.PgBouncerFront.PoolMode;
import org.pgrepl.infra.Server;

/**
 * pgrepl over a PgBouncer in front of each server, in session and in transaction pooling: routing,
 * role discovery, lag bounds and read-your-writes work through the poolers as they do directly.
 * What transaction pooling changes is in {@link TransactionPoolingIT}.
 */
class PgBouncerIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws SQLException {
        boolean installed = PgBouncerFront.available();
        if (!installed) {
            System.out.println("SKIPPED PgBouncerIT: needs Debian package pgbouncer");
        }
        assumeTrue(installed, "needs Debian package pgbouncer");
        cluster = EmbeddedCluster.builder().replicas(1).start();
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bouncer_rows (id bigserial PRIMARY KEY, v int)");
        }
        cluster.awaitReplication();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String url(PgBouncerFront front, String params) {
        String base = front.pgreplUrl();
        return base + (base.contains("?") ? "&" : "?") + "monitorInterval=200ms" + params;
    }

    /** Port of the real server that answered, and whether it is a standby. */
    private static int[] served(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT inet_server_port(), pg_is_in_recovery()")) {
            rs.next();
            return new int[] {rs.getInt(1), rs.getBoolean(2) ? 1 : 0};
        }
    }

    /**
     * PgBouncer refuses the {@code options} startup parameter that makes a replica session
     * read-only at login (08P01): the replica is not benched for it, and in session mode its
     * session is made read-only by statement instead.
     */
    @Test
    void aReplicaSessionIsReadOnlyThroughASessionPooler() throws SQLException {
        try (PgBouncerFront front = PgBouncerFront.start(cluster, PoolMode.SESSION)) {
            for (int i = 0; i < 2; i++) { // the second connection no longer offers the option
                try (Connection c = DriverManager.getConnection(url(front, ""), cluster.credentials())) {
                    c.setReadOnly(true);
                    assertThat(served(c)).containsExactly(cluster.server("replica1").port(), 1);
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW default_transaction_read_only")) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualTo("on");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void readsGoToTheReplicaAndWritesToThePrimary(PoolMode mode) throws SQLException {
        try (PgBouncerFront front = PgBouncerFront.start(cluster, mode);
             Connection c = DriverManager.getConnection(url(front, ""), cluster.credentials())) {
            assertThat(served(c)).containsExactly(cluster.primary().port(), 0);
            c.setReadOnly(true);
            assertThat(served(c)).containsExactly(cluster.server("replica1").port(), 1);
            c.setAutoCommit(false);
            assertThat(served(c)).containsExactly(cluster.server("replica1").port(), 1);
            c.commit();
            c.setReadOnly(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO bouncer_rows (v) VALUES (1)");
            }
            c.commit();
            assertThat(served(c)).containsExactly(cluster.primary().port(), 0);
            c.rollback();
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void rolesAreDiscoveredThroughThePoolers(PoolMode mode) throws SQLException {
        try (PgBouncerFront front = PgBouncerFront.start(cluster, mode)) {
            // The replica's pooler listed first: only the monitor, asking through PgBouncer, can
            // tell that writes belong to the second host.
            String swapped = "jdbc:pgrepl://127.0.0.1:" + front.port(cluster.server("replica1")) + ",127.0.0.1:"
                    + front.port(cluster.primary()) + "/" + cluster.database() + "?monitorInterval=200ms"
                    + (mode == PoolMode.TRANSACTION ? "&transactionPooling=true" : "");
            try (Connection c = DriverManager.getConnection(swapped, cluster.credentials())) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    try (Connection w = DriverManager.getConnection(swapped, cluster.credentials())) {
                        assertThat(served(w)).containsExactly(cluster.primary().port(), 0);
                    }
                });
                c.setReadOnly(true);
                assertThat(served(c)).containsExactly(cluster.server("replica1").port(), 1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void aLaggingReplicaIsLeftUntilItCatchesUp(PoolMode mode) throws Exception {
        Server replica = cluster.server("replica1");
        try (PgBouncerFront front = PgBouncerFront.start(cluster, mode);
             Connection c = DriverManager.getConnection(url(front, "&maxReplicaLagBytes=8kB"), cluster.credentials())) {
            c.setReadOnly(true);
            assertThat(served(c)[1]).isEqualTo(1);
            cluster.pauseReplay(replica);
            try {
                try (Connection w = cluster.connect(cluster.primary()); Statement s = w.createStatement()) {
                    s.execute("INSERT INTO bouncer_rows (v) SELECT g FROM generate_series(1, 2000) g");
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    try (Connection r = DriverManager.getConnection(url(front, "&maxReplicaLagBytes=8kB"), cluster.credentials())) {
                        r.setReadOnly(true);
                        assertThat(served(r)).as("read served by the primary, read-only").containsExactly(cluster.primary().port(), 0);
                    }
                });
            } finally {
                cluster.resumeReplay(replica);
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (Connection r = DriverManager.getConnection(url(front, "&maxReplicaLagBytes=8kB"), cluster.credentials())) {
                    r.setReadOnly(true);
                    assertThat(served(r)).containsExactly(replica.port(), 1);
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void readYourWritesHoldsThroughThePoolers(PoolMode mode) throws SQLException {
        Server replica = cluster.server("replica1");
        setApplyDelay(replica, "5ms");
        try (PgBouncerFront front = PgBouncerFront.start(cluster, mode)) {
            int staleEventual = staleReads(url(front, "&readConsistency=eventual"), 50);
            int staleSession = staleReads(url(front, "&readConsistency=session&readYourWritesTimeout=5s"), 200);
            System.out.printf("PgBouncerIT: %s pooling, write-then-read through PgBouncer: eventual %d/50 stale,"
                    + " session %d/200 stale%n", mode, staleEventual, staleSession);
            assertThat(staleEventual).as("stale reads exist without read-your-writes, so the test can tell").isPositive();
            assertThat(staleSession).isZero();
        } finally {
            setApplyDelay(replica, "0");
        }
    }

    private static void setApplyDelay(Server replica, String delay) throws SQLException {
        try (Connection c = cluster.connect(replica); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET recovery_min_apply_delay = '" + delay + "'");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static int staleReads(String url, int iterations) throws SQLException {
        int stale = 0;
        try (Connection c = DriverManager.getConnection(url, cluster.credentials())) {
            for (int i = 0; i < iterations; i++) {
                c.setReadOnly(false);
                long id;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bouncer_rows (v) VALUES (?) RETURNING id")) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                c.setReadOnly(true);
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_is_in_recovery(), count(*) FROM bouncer_rows WHERE id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getBoolean(1)).as("read on the replica").isTrue();
                        if (rs.getLong(2) != 1) {
                            stale++;
                        }
                    }
                }
            }
        }
        return stale;
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void aWriteOnTheReadOnlyRouteIsRefused(PoolMode mode) throws SQLException {
        try (PgBouncerFront front = PgBouncerFront.start(cluster, mode);
             Connection c = DriverManager.getConnection(url(front, ""), cluster.credentials())) {
            c.setReadOnly(true);
            assertThatThrownBy(() -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO bouncer_rows (v) VALUES (1)");
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
        }
    }
}
