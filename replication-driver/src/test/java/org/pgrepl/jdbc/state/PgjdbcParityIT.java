package org.pgrepl.jdbc.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;

/**
 * Issue 14.8, the points in the logical connection and its statements, each side by side with
 * pgjdbc: {@code setClientInfo} on a closed connection, an unknown client info name, and
 * {@code Statement.close()} from another thread while the statement runs.
 */
@ExtendWith(PgClusterExtension.class)
class PgjdbcParityIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void setUp(EmbeddedCluster c) {
        cluster = c;
    }

    private static Connection pgrepl() throws SQLException {
        return DriverManager.getConnection(cluster.pgreplUrl(), cluster.credentials());
    }

    private static Connection pgjdbc() throws SQLException {
        return cluster.connect(cluster.primary());
    }

    @Test
    void setClientInfoOnAClosedConnectionFails() throws SQLException {
        for (Connection c : new Connection[] {pgjdbc(), pgrepl()}) {
            c.close();
            assertThatThrownBy(() -> c.setClientInfo("ApplicationName", "x")).isInstanceOf(SQLClientInfoException.class);
        }
    }

    @Test
    void anUnknownClientInfoNameAddsAWarning() throws SQLException {
        for (Connection c : new Connection[] {pgjdbc(), pgrepl()}) {
            try (c) {
                c.setClientInfo("NoSuchName", "x");
                SQLWarning w = c.getWarnings();
                assertThat((Object) w).as(c.getClass().getSimpleName()).isNotNull();
                assertThat(w.getMessage()).contains("ClientInfo property not supported");
            }
        }
    }

    @Test
    void closingARunningStatementFromAnotherThreadGivesTheCallerPgjdbcsError() throws Exception {
        String pgjdbcState = runAndCloseFromAnotherThread(pgjdbc(), false);
        String pgreplState = runAndCloseFromAnotherThread(pgrepl(), true);
        assertThat(pgreplState).isEqualTo(pgjdbcState).isEqualTo("57014");
    }

    private static String runAndCloseFromAnotherThread(Connection c, boolean readOnly) throws Exception {
        try (c) {
            c.setReadOnly(readOnly);
            Statement s = c.createStatement();
            CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(500);
                    s.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                s.executeQuery("SELECT pg_sleep(5)");
                return "no error";
            } catch (SQLException e) {
                return e.getSQLState();
            } finally {
                closer.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
