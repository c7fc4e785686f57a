package org.pgrepl.jdbc.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;
import org.pgrepl.jdbc.PgReplConnection;

/**
 * Read-your-writes against a replica whose replay is delayed ({@code recovery_min_apply_delay}):
 * with readConsistency=session, and across two connections with a causal token, no read misses
 * the caller's own write; without it, the same loop shows stale reads exist (so it can tell).
 * CI runs {@value #DEFAULT_ITERATIONS} iterations; {@code -Dpgrepl.rywIterations=10000} (the
 * chaos profile) runs the long version.
 */
class ReadYourWritesIT {
    static final int DEFAULT_ITERATIONS = 500;
    private static final int ITERATIONS = Integer.getInteger("pgrepl.rywIterations", DEFAULT_ITERATIONS);
    private static EmbeddedCluster cluster;
    private static String delayedUrl;

    @BeforeAll
    static void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(2).start();
        Server delayed = cluster.server("replica1");
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ryw_rows (id bigserial PRIMARY KEY, v int)");
        }
        cluster.awaitReplication();
        try (Connection c = cluster.connect(delayed); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET recovery_min_apply_delay = '5ms'");
            s.execute("SELECT pg_reload_conf()");
        }
        // Only the delayed replica serves reads: every read is a chance to be stale.
        delayedUrl = "jdbc:pgrepl://" + cluster.primary().hostAndPort() + "," + delayed.hostAndPort() + "/"
                + cluster.database() + "?monitorInterval=200ms";
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static long insert(Connection c, int v) throws SQLException {
        c.setReadOnly(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ryw_rows (v) VALUES (?) RETURNING id")) {
            ps.setInt(1, v);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean sees(Connection c, long id) throws SQLException {
        c.setReadOnly(true);
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_is_in_recovery(), count(*) FROM ryw_rows WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(2) == 1;
            }
        }
    }

    private static int staleReads(String params, int iterations) throws SQLException {
        int stale = 0;
        try (Connection c = DriverManager.getConnection(delayedUrl + params, cluster.credentials())) {
            for (int i = 0; i < iterations; i++) {
                if (!sees(c, insert(c, i))) {
                    stale++;
                }
            }
        }
        return stale;
    }

    @Test
    void withoutReadYourWritesStaleReadsExist() throws SQLException {
        int stale = staleReads("&readConsistency=eventual", 50);
        System.out.println("ReadYourWritesIT: eventual consistency, 50 write-then-read: " + stale + " stale reads");
        assertThat(stale).isPositive();
    }

    @Test
    void sessionConsistencyNeverMissesItsOwnWrite() throws SQLException {
        int stale = staleReads("&readConsistency=session&readYourWritesTimeout=5s", ITERATIONS);
        System.out.println("ReadYourWritesIT: session consistency, " + ITERATIONS + " write-then-read: "
                + stale + " stale reads");
        assertThat(stale).isZero();
    }

    @Test
    void aStatementHeldOnTheReplicaWaitsForWritesMadeAfterItWasCreated() throws SQLException {
        int stale = 0;
        try (Connection c = DriverManager.getConnection(delayedUrl + "&readConsistency=session&readYourWritesTimeout=5s",
                cluster.credentials())) {
            c.setReadOnly(true);
            // Prepared once on the replica and held, as a cache of statements would; writes come after.
            try (PreparedStatement held = c.prepareStatement("SELECT pg_is_in_recovery(), count(*) FROM ryw_rows WHERE id = ?")) {
                for (int i = 0; i < ITERATIONS / 5; i++) {
                    long id = insert(c, i);
                    c.setReadOnly(true);
                    held.setLong(1, id);
                    try (ResultSet rs = held.executeQuery()) {
                        rs.next();
                        assertThat(rs.getBoolean(1)).as("served by the replica").isTrue();
                        if (rs.getLong(2) != 1) {
                            stale++;
                        }
                    }
                }
            }
        }
        System.out.println("ReadYourWritesIT: statement held on the replica, " + ITERATIONS / 5
                + " write-then-read: " + stale + " stale reads");
        assertThat(stale).isZero();
    }

    @Test
    void aHeldReplicaStatementThatCannotSeeTheWriteFailsClearly() throws SQLException {
        Server delayed = cluster.server("replica1");
        try (Connection c = DriverManager.getConnection(delayedUrl
                        + "&readConsistency=session&readYourWritesTimeout=300ms&readFallback=fail",
                cluster.credentials())) {
            c.setReadOnly(true);
            try (PreparedStatement held = c.prepareStatement("SELECT count(*) FROM ryw_rows WHERE id = ?")) {
                held.setLong(1, 0);
                held.executeQuery().close();
                cluster.pauseReplay(delayed);
                try {
                    long id = insert(c, 1);
                    c.setReadOnly(true);
                    held.setLong(1, id);
                    org.assertj.core.api.Assertions.assertThatThrownBy(held::executeQuery)
                            .isInstanceOfSatisfying(SQLException.class, e -> {
                                assertThat(e.getSQLState()).isEqualTo("57014");
                                assertThat(e.getMessage()).contains("readYourWritesTimeout=300ms", "readFallback=fail");
                            });
                    // With readFallback=primary the same held statement follows the connection to the
                    // primary, read-only, and sees the write.
                    try (Connection f = DriverManager.getConnection(delayedUrl
                            + "&readConsistency=session&readYourWritesTimeout=300ms", cluster.credentials())) {
                        f.setReadOnly(true);
                        try (PreparedStatement heldToo = f.prepareStatement("SELECT count(*) FROM ryw_rows WHERE id = ?")) {
                            long second = insert(f, 2);
                            f.setReadOnly(true);
                            heldToo.setLong(1, second);
                            try (ResultSet rs = heldToo.executeQuery()) {
                                rs.next();
                                assertThat(rs.getLong(1)).isEqualTo(1);
                            }
                        }
                    }
                } finally {
                    cluster.resumeReplay(delayed);
                }
            }
        }
    }

    @Test
    void repeatableReadTransactionsSeeTheWriteTheyWaitedFor() throws SQLException {
        int stale = 0;
        try (Connection c = DriverManager.getConnection(delayedUrl + "&readConsistency=session&readYourWritesTimeout=5s",
                cluster.credentials())) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            for (int i = 0; i < ITERATIONS / 5; i++) {
                long id = insert(c, i);
                c.commit();
                // The wait for the replica must not open the read-only transaction: its snapshot
                // would then predate the replay it waited for.
                if (!sees(c, id)) {
                    stale++;
                }
                c.commit();
            }
        }
        System.out.println("ReadYourWritesIT: repeatable read transactions, " + ITERATIONS / 5
                + " write-then-read: " + stale + " stale reads");
        assertThat(stale).isZero();
    }

    @Test
    void publishingACommitPositionLeavesNoTransactionOpen() throws SQLException {
        String app = "pgrepl-ryw-idle";
        try (Connection c = DriverManager.getConnection(delayedUrl + "&readConsistency=process&ApplicationName=" + app,
                cluster.credentials());
             Connection observer = cluster.connect(cluster.primary())) {
            c.setAutoCommit(false);
            insert(c, 1);
            c.commit(); // with readConsistency=process the commit's position is published at once
            try (PreparedStatement ps = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = ? AND state LIKE 'idle in transaction%'")) {
                ps.setString(1, app);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("pgrepl's sessions idle in transaction on the primary").isZero();
                }
            }
        }
    }

    @Test
    void aCausalTokenCarriesTheWriteToAnotherConnection() throws SQLException {
        int stale = 0;
        try (Connection writer = DriverManager.getConnection(delayedUrl, cluster.credentials());
             Connection reader = DriverManager.getConnection(delayedUrl + "&readYourWritesTimeout=5s",
                     cluster.credentials())) {
            PgReplConnection w = writer.unwrap(PgReplConnection.class);
            PgReplConnection r = reader.unwrap(PgReplConnection.class);
            assertThat(w.causalToken()).isNull();
            for (int i = 0; i < ITERATIONS; i++) {
                long id = insert(writer, i);
                String token = w.causalToken();
                assertThat(token).matches("\\d+/\\d+/[0-9A-F]+/[0-9A-F]+");
                r.requireCausalToken(token);
                if (!sees(reader, id)) {
                    stale++;
                }
            }
        }
        System.out.println("ReadYourWritesIT: causal token across two connections, " + ITERATIONS + " iterations: "
                + stale + " stale reads");
        assertThat(stale).isZero();
    }

    @Test
    void processConsistencySharesTheFloorAcrossConnections() throws SQLException {
        int stale = 0;
        String url = delayedUrl + "&readConsistency=process&readYourWritesTimeout=5s";
        try (Connection writer = DriverManager.getConnection(url, cluster.credentials());
             Connection reader = DriverManager.getConnection(url, cluster.credentials())) {
            for (int i = 0; i < ITERATIONS / 5; i++) {
                if (!sees(reader, insert(writer, i))) {
                    stale++;
                }
            }
        }
        assertThat(stale).isZero();
    }

    @Test
    void tokensFromAnotherClusterOrUnparsableAreRefused() throws SQLException {
        try (Connection c = DriverManager.getConnection(delayedUrl, cluster.credentials())) {
            PgReplConnection r = c.unwrap(PgReplConnection.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.requireCausalToken("1/1/0/0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains("another cluster");
                    });
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.requireCausalToken("garbage"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
        }
    }
}
