package org.pgrepl.jdbc.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.Server;
import org.pgrepl.jdbc.PgReplConnection;
import org.pgrepl.jdbc.failure.Admin;
import org.postgresql.PGConnection;

/**
 * Issue 15.3-15.5: every way a connection writes raises its read floor, the position covers an
 * asynchronous commit, a read served by the primary keeps later reads from going back in time,
 * and a primary session lost before the position was taken does not drop the floor. One
 * replica, replaying 5 ms late (a read without the right floor is stale almost every time), or
 * paused where a case needs it to stay behind.
 */
class ReadFloorIT {
    private static final int ROUNDS = 40;
    private static EmbeddedCluster cluster;
    private static Server replica;
    private static Admin admin;
    private static String url;

    @BeforeAll
    static void start() throws SQLException {
        cluster = EmbeddedCluster.builder().replicas(1).start();
        replica = cluster.replicas().get(0);
        admin = new Admin(cluster);
        try (Connection c = cluster.connect(cluster.primary()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE floor_rows (id serial PRIMARY KEY, tag text)");
        }
        cluster.awaitReplication();
        try (Connection c = cluster.connect(replica); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET recovery_min_apply_delay = '5ms'");
            s.execute("SELECT pg_reload_conf()");
        }
        url = cluster.pgreplUrl() + "?monitorInterval=200ms";
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Connection open(String params) throws SQLException {
        String timeout = params.contains("readYourWritesTimeout") ? "" : "&readYourWritesTimeout=2s";
        return DriverManager.getConnection(url + timeout + params, cluster.credentials());
    }

    private static int count(Connection c, String tag) throws SQLException {
        c.setReadOnly(true);
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM floor_rows WHERE tag = ?")) {
            ps.setString(1, tag);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } finally {
            c.setReadOnly(false);
        }
    }

    @FunctionalInterface
    interface Write {
        void write(Connection c, String tag) throws Exception;
    }

    /** Writes through {@code write} on one connection, reads on {@code reader}: stale reads counted. */
    private static int staleReads(String params, Write write, boolean otherReader) throws Exception {
        int stale = 0;
        try (Connection c = open(params); Connection other = open(params)) {
            for (int i = 0; i < ROUNDS; i++) {
                String tag = UUID.randomUUID().toString();
                write.write(c, tag);
                if (count(otherReader ? other : c, tag) != 1) {
                    stale++;
                }
            }
        }
        return stale;
    }

    @Test
    void copyThroughUnwrapRaisesTheFloorAndGivesACausalToken() throws Exception {
        assertThat(staleReads("&readConsistency=session", (c, tag) -> {
            PGConnection pg = c.unwrap(PGConnection.class);
            pg.getCopyAPI().copyIn("COPY floor_rows (tag) FROM STDIN", new StringReader(tag + "\n"));
        }, false)).isZero();
        try (Connection c = open("&readConsistency=session")) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY floor_rows (tag) FROM STDIN", new StringReader("t\n"));
            assertThat(c.unwrap(PgReplConnection.class).causalToken()).isNotNull();
        }
    }

    @Test
    void anInsertThroughAnUpdatableResultSetRaisesTheFloor() throws Exception {
        assertThat(staleReads("&readConsistency=session", (c, tag) -> {
            try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
                 ResultSet rs = s.executeQuery("SELECT id, tag FROM floor_rows WHERE false")) {
                count(c, "none"); // a replica read in between: the floor is taken before the row changes
                rs.moveToInsertRow();
                rs.updateString("tag", tag);
                rs.insertRow();
            }
        }, false)).isZero();
    }

    @Test
    void underProcessCommitsBySetAutoCommitAndBySqlCommitRaiseTheSharedFloor() throws Exception {
        assertThat(staleReads("&readConsistency=process", (c, tag) -> {
            c.setAutoCommit(false);
            insert(c, tag);
            c.setAutoCommit(true);
        }, true)).as("setAutoCommit(true)").isZero();
        assertThat(staleReads("&readConsistency=process", (c, tag) -> {
            c.setAutoCommit(false);
            insert(c, tag);
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
            c.setAutoCommit(true);
        }, true)).as("SQL COMMIT").isZero();
    }

    @Test
    void anAsynchronousCommitIsCovered() throws Exception {
        assertThat(staleReads("&readConsistency=session", (c, tag) -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET synchronous_commit = off");
            }
            insert(c, tag);
        }, false)).isZero();
    }

    private static void insert(Connection c, String tag) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO floor_rows (tag) VALUES (?)")) {
            ps.setString(1, tag);
            ps.executeUpdate();
        }
    }

    @Test
    void aReadServedByThePrimaryKeepsLaterReadsFromGoingBack() throws Exception {
        String tag = UUID.randomUUID().toString();
        try (Connection c = open("&readConsistency=session&readYourWritesTimeout=300ms")) {
            assertThat(count(c, tag)).as("read 1, replica").isZero();
            cluster.pauseReplay(replica);
            try {
                try (Connection writer = cluster.connect(cluster.primary())) {
                    insert(writer, tag);
                }
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                assertThat(count(c, tag)).as("read 2, serializable: the primary").isEqualTo(1);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                assertThat(count(c, tag)).as("read 3 may not go back in time").isEqualTo(1);
            } finally {
                cluster.resumeReplay(replica);
            }
        }
    }

    @Test
    void aPrimarySessionLostBeforeThePositionWasTakenKeepsTheFloor() throws Exception {
        String app = Admin.appName("floor-lost");
        String tag = UUID.randomUUID().toString();
        try (Connection c = open("&readConsistency=session&readYourWritesTimeout=300ms&ApplicationName=" + app)) {
            cluster.pauseReplay(replica);
            try {
                insert(c, tag);
                assertThat(admin.terminate(cluster.primary(), app)).isEqualTo(1);
                assertThat(count(c, tag)).as("the connection's own committed insert").isEqualTo(1);
            } finally {
                cluster.resumeReplay(replica);
            }
        }
    }
}
