package org.pgrepl.jdbc.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.jdbc.PgReplConnection;

/**
 * Issue 14.4: a connection error met outside the statement wrappers (metadata, setAutoCommit,
 * savepoints, ResultSet methods, pgrepl's own queries) marks that physical connection broken,
 * so the next statement opens a fresh one. Before, every later statement failed with 08003
 * while {@code isClosed()} said false.
 */
@ExtendWith(PgClusterExtension.class)
class EveryPathNoticesADeadConnectionIT {
    private static EmbeddedCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void setUp(EmbeddedCluster c) {
        cluster = c;
        admin = new Admin(c);
    }

    @FunctionalInterface
    interface Call {
        void on(Connection c) throws SQLException;
    }

    private static void afterFailureOf(Call call, boolean readOnly) throws Exception {
        String app = Admin.appName("dead-path");
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?ApplicationName=" + app,
                cluster.credentials())) {
            c.setReadOnly(readOnly);
            selectOne(c);
            int killed = 0;
            for (var s : cluster.servers()) {
                killed += admin.terminate(s, app);
            }
            assertThat(killed).isEqualTo(1);
            assertThatThrownBy(() -> call.on(c)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).matches("08.*|57P0.*"));
            assertThat(c.isClosed()).isFalse();
            c.setAutoCommit(true);
            selectOne(c); // a fresh physical connection
            assertThat(c.unwrap(PgReplConnection.class).currentHost()).isNotNull();
        }
    }

    private static void selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void metadata() throws Exception {
        afterFailureOf(c -> c.getMetaData().getTables(null, "public", "%", null).close(), false);
        afterFailureOf(c -> c.getMetaData().getTables(null, "public", "%", null).close(), true);
    }

    @Test
    void setAutoCommitAndSavepoints() throws Exception {
        afterFailureOf(c -> {
            c.setAutoCommit(false);
            c.setSavepoint();
        }, false);
    }

    @Test
    void resultSetMethods() throws Exception {
        String app = Admin.appName("dead-rs");
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?ApplicationName=" + app,
                cluster.credentials())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1); // a cursor: next() goes back to the server
                ResultSet rs = s.executeQuery("SELECT generate_series(1, 10)");
                rs.next();
                admin.terminate(cluster.primary(), app);
                assertThatThrownBy(() -> {
                    while (rs.next()) {
                        rs.getInt(1);
                    }
                }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).matches("08.*|57P0.*"));
            }
            c.rollback(); // the transaction was lost with the connection
            selectOne(c);
            c.commit();
        }
    }

    @Test
    void pgreplsOwnQueries() throws Exception {
        String app = Admin.appName("dead-own");
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + "?readConsistency=session&ApplicationName="
                + app, cluster.credentials())) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT 1"); // on the primary: the floor takes its position at the next read
            }
            admin.terminate(cluster.primary(), app);
            c.setReadOnly(true);
            // The position is taken on a fresh primary session rather than dropped or failing for good.
            selectOne(c);
            selectOne(c);
        }
    }
}
