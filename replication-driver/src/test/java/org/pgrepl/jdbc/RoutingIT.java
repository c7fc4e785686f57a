package org.pgrepl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;
import org.postgresql.PGConnection;

/** Routing on the shared 1 + 2 cluster, the serving host told by pg_is_in_recovery() and inet_server_port(). */
@ExtendWith(PgClusterExtension.class)
class RoutingIT {
    private static EmbeddedCluster cluster;
    private static Set<Integer> replicaPorts;

    @BeforeAll
    static void setUp(EmbeddedCluster c) throws SQLException {
        cluster = c;
        replicaPorts = new HashSet<>();
        c.replicas().forEach(r -> replicaPorts.add(r.port()));
        try (Connection conn = c.connect(c.primary()); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS routing_rows (id serial PRIMARY KEY, note text)");
        }
        c.awaitReplication();
    }

    static Connection open(String params) throws SQLException {
        return DriverManager.getConnection(cluster.pgreplUrl() + params, cluster.credentials());
    }

    private static void assertOnReplica(Served s) {
        assertThat(s.inRecovery()).as("served by a replica").isTrue();
        assertThat(replicaPorts).contains(s.port());
    }

    private static void assertOnPrimary(Served s) {
        assertThat(s.inRecovery()).as("served by the primary").isFalse();
        assertThat(s.port()).isEqualTo(cluster.primary().port());
    }

    @Test
    void routesByReadOnlyWithAutoCommitOn() throws SQLException {
        try (Connection c = open("")) {
            assertOnPrimary(Served.by(c));
            c.setReadOnly(true);
            assertOnReplica(Served.by(c));
            c.setReadOnly(false);
            assertOnPrimary(Served.by(c));
        }
    }

    @Test
    void routesByReadOnlyWithAutoCommitOff() throws SQLException {
        try (Connection c = open("")) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            assertOnReplica(Served.by(c));
            c.commit();
            c.setReadOnly(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO routing_rows (note) VALUES ('autocommit off')");
            }
            assertOnPrimary(Served.by(c));
            c.commit();
        }
    }

    @Test
    void aThousandTogglesWithTransactionsBetweenThemEachOnTheRightServer() throws SQLException {
        try (Connection c = open("")) {
            c.setAutoCommit(false);
            for (int i = 0; i < 1000; i++) {
                boolean ro = i % 2 == 0;
                c.setReadOnly(ro);
                Served s = Served.by(c);
                if (ro) {
                    assertOnReplica(s);
                } else {
                    assertOnPrimary(s);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO routing_rows (note) VALUES (?)")) {
                        ps.setString(1, "toggle " + i);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            }
        }
    }

    @Test
    void switchingInsideAnOpenTransactionIsRefused() throws SQLException {
        try (Connection c = open("")) {
            c.setAutoCommit(false);
            Served.by(c);
            assertThatThrownBy(() -> c.setReadOnly(true)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25001"));
            assertThat(c.isReadOnly()).isFalse();
            c.rollback();
            c.setReadOnly(true); // allowed once the transaction ended
            assertOnReplica(Served.by(c));
            assertThatThrownBy(() -> c.setReadOnly(false)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25001"));
            c.commit();
            c.setReadOnly(false);
            assertOnPrimary(Served.by(c));
            c.rollback();
        }
    }

    @Test
    void aWriteOnTheReadOnlyRouteNamesTheRouteAndHost() throws SQLException {
        try (Connection c = open("")) {
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO routing_rows (note) VALUES ('no')"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("25006");
                            assertThat(e.getMessage()).contains("routed read-only").contains("replica 127.0.0.1:");
                            assertThat(e.getCause()).isInstanceOf(SQLException.class);
                            assertThat((Object) e).isInstanceOf(org.postgresql.util.PSQLException.class);
                        });
                s.addBatch("INSERT INTO routing_rows (note) VALUES ('batch')");
                assertThatThrownBy(s::executeBatch).isInstanceOfSatisfying(BatchUpdateException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("25006");
                    assertThat(e.getMessage()).contains("routed read-only");
                    assertThat(e.getUpdateCounts()).isNotNull();
                });
            }
        }
    }

    @Test
    void statementsMetadataAndResultSetsReturnTheLogicalObjects() throws SQLException {
        try (Connection c = open("")) {
            c.setReadOnly(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(s.getConnection()).isSameAs(c);
                assertThat(rs.getStatement()).isSameAs(s);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int"); ) {
                ps.setInt(1, 7);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.getStatement()).isSameAs(ps);
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(7);
                }
                assertThat(ps.getConnection()).isSameAs(c);
            }
            try (var cs = c.prepareCall("{ ? = call upper(?) }")) {
                assertThat(cs.getConnection()).isSameAs(c);
            }
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getConnection()).isSameAs(c);
            assertThat(md.getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(c.unwrap(PgReplConnection.class)).isSameAs(c);
            PGConnection pg = c.unwrap(PGConnection.class);
            assertThat(pg.getBackendPID()).isPositive();
            assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
        }
    }

    @Test
    void aStatementFollowsTheConnectionToTheRouteCurrentWhenItRuns() throws SQLException {
        try (Connection c = open("")) {
            c.setReadOnly(true);
            try (PreparedStatement held = c.prepareStatement(Served.QUERY)) {
                c.setReadOnly(false);
                assertOnPrimary(Served.by(c));
                try (ResultSet rs = held.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("in recovery: created on the replica, run on the primary").isFalse();
                }
                c.setReadOnly(true);
                try (ResultSet rs = held.executeQuery()) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("back on the replica").isTrue();
                }
            }
        }
    }

    @Test
    void connectOpensNoServerConnectionAndBadCredentialsFailAtFirstUse() throws SQLException {
        Properties bad = cluster.credentials();
        bad.setProperty("password", "wrong-password");
        Connection c = DriverManager.getConnection(cluster.pgreplUrl(), bad);
        try {
            assertThat(c.isClosed()).isFalse();
            assertThat(((PgReplConnection) c).currentHost()).isNull();
            assertThat(c.isValid(2)).isFalse();
            assertThatThrownBy(c::createStatement).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        } finally {
            c.close();
        }
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class);
    }

    @Test
    void aReadOnlyConnectionOpensOnlyAReplicaConnection() throws SQLException {
        try (Connection c = open("?ApplicationName=only-reads")) {
            c.setReadOnly(true);
            assertOnReplica(Served.by(c));
            try (Connection p = cluster.connect(cluster.primary()); Statement s = p.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'only-reads'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void readOnlyInTheUrlStartsOnTheReadOnlyRoute() throws SQLException {
        try (Connection c = open("?readOnly=true")) {
            assertThat(c.isReadOnly()).isTrue();
            assertOnReplica(Served.by(c));
        }
    }

    @Test
    void serializableReadsGoToThePrimaryReadOnly() throws SQLException {
        try (Connection c = open("")) {
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setAutoCommit(false);
            assertOnPrimary(Served.by(c));
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO routing_rows (note) VALUES ('ser')"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("25006");
                            assertThat(e.getMessage()).contains("routed read-only").contains("the primary");
                        });
            }
            c.rollback();
        }
    }

    static Server replicaAt(int port) {
        return cluster.serverAt(port);
    }
}
