package org.pgrepl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Small contract points where pgrepl must answer as pgjdbc does (issue 14, item 8), each checked
 * side by side with pgjdbc on the shared cluster.
 */
@ExtendWith(PgClusterExtension.class)
class DriverContractIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void setUp(EmbeddedCluster c) throws SQLException {
        cluster = c;
        try (Connection conn = c.connect(c.primary()); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS contract_rows (id int)");
            s.execute("CREATE OR REPLACE FUNCTION contract_cursor() RETURNS refcursor LANGUAGE plpgsql AS"
                    + " $$ DECLARE r refcursor; BEGIN OPEN r FOR SELECT 1 AS one; RETURN r; END $$");
        }
        c.awaitReplication();
    }

    private static PgReplDataSource dataSource() {
        PgReplDataSource ds = new PgReplDataSource();
        ds.setUrl(cluster.pgreplUrl());
        ds.setUser(cluster.user());
        ds.setPassword(cluster.password());
        return ds;
    }

    private static String pgjdbcUrl(Server server) {
        return "jdbc:postgresql://" + server.hostAndPort() + "/" + cluster.database();
    }

    @Test
    void aDataSourceUserWithANullPasswordLogsInWithNoPasswordAsPgjdbcDoes() throws SQLException {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(pgjdbcUrl(cluster.primary()));
        pg.setPassword(cluster.password());
        SQLException expected = catchThrowableOfType(SQLException.class, () -> pg.getConnection(cluster.user(), null));
        assertThat((Throwable) expected).as("pgjdbc: no password, the server asks for one").isNotNull();

        // A HikariCP pool with a username and no password calls exactly this.
        try (Connection c = dataSource().getConnection(cluster.user(), null)) {
            assertThatThrownBy(() -> Served.by(c)).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(expected.getSQLState());
        }
        try (Connection c = dataSource().getConnection(cluster.user(), cluster.password())) {
            assertThat(Served.by(c).inRecovery()).isFalse();
        }
    }

    @Test
    void connectWithANullUrlThrowsAsPgjdbcDoes() {
        assertThatThrownBy(() -> new org.postgresql.Driver().connect(null, cluster.credentials()))
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> new Driver().connect(null, cluster.credentials()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"));
        assertThatThrownBy(() -> DriverManager.getConnection(null, cluster.credentials()))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void getPropertyInfoShowsTheUrlsValuesAsPgjdbcDoes() throws SQLException {
        Server primary = cluster.primary();
        String query = "?ApplicationName=from-url&connectTimeout=7&readFallback=fail";
        Properties info = cluster.credentials();
        info.setProperty("ApplicationName", "from-info");
        info.setProperty("monitorInterval", "250ms");
        Map<String, String> ours = values(new Driver().getPropertyInfo(cluster.pgreplUrl() + query, info));
        Map<String, String> theirs = values(new org.postgresql.Driver().getPropertyInfo(pgjdbcUrl(primary) + query,
                info));

        assertThat(ours).containsEntry("readFallback", "fail").containsEntry("monitorInterval", "250ms")
                .containsEntry("ApplicationName", "from-url").containsEntry("connectTimeout", "7");
        for (String name : new String[] {"ApplicationName", "connectTimeout", "user", "PGDBNAME", "PGHOST", "PGPORT"}) {
            assertThat(ours.get(name)).as(name).isEqualTo(theirs.get(name));
        }
        // The same connection settings shown by the URL itself answer with both drivers.
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl() + query, info)) {
            assertThat(c.getClientInfo("ApplicationName")).isEqualTo("from-url");
        }
    }

    private static Map<String, String> values(DriverPropertyInfo[] infos) {
        return Arrays.stream(infos).filter(i -> i.value != null)
                .collect(Collectors.toMap(i -> i.name, i -> i.value, (a, b) -> a));
    }

    @Test
    void toStringNeverShowsAPasswordHoweverItsKeyIsSpelled() {
        PgReplDataSource ds = new PgReplDataSource();
        ds.setUrl("jdbc:pgrepl://someone:s3cret-1@h1:5432,h2:5433/db?pass%77ord=s3cret-2&sslpassword=s3cret-3"
                + "&PASSWORD=s3cret-4&readFallback=fail&p%61ssword=s3cret-5");
        ds.setProperty("pass%77ord", "s3cret-6");
        ds.setPassword("s3cret-7");
        String shown = ds.toString();
        assertThat(shown).doesNotContain("s3cret").contains("pass%77ord=***").contains("readFallback=fail")
                .contains("h1:5432,h2:5433/db");
    }

    @Test
    void theLoginTimeoutOfADataSourceIsNotKeptAfterItIsReset() throws SQLException {
        PgReplDataSource ds = dataSource();
        ds.setLoginTimeout(3);
        try (Connection c = ds.getConnection()) {
            assertThat(Served.by(c).inRecovery()).isFalse();
        }
        ds.setLoginTimeout(0);
        assertThat(ds.getLoginTimeout()).isZero();
        assertThat(ds.toString()).doesNotContain("loginTimeout");
        try (Connection c = ds.getConnection()) {
            assertThat(Served.by(c).inRecovery()).isFalse();
        }
        assertThat(ds.toString()).doesNotContain("loginTimeout");
    }

    @Test
    void aBatchRefusedOnTheReadOnlyRouteKeepsPgjdbcsNextExceptionChain() throws SQLException {
        BatchUpdateException pgjdbc;
        try (Connection direct = cluster.connect(cluster.replicas().get(0)); Statement s = direct.createStatement()) {
            s.addBatch("INSERT INTO contract_rows VALUES (1)");
            s.addBatch("INSERT INTO contract_rows VALUES (2)");
            pgjdbc = catchThrowableOfType(BatchUpdateException.class, s::executeBatch);
        }
        assertThat((Throwable) pgjdbc.getNextException()).as("pgjdbc chains the server error").isNotNull();

        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl(), cluster.credentials())) {
            c.setReadOnly(true);
            Statement s = c.createStatement();
            s.addBatch("INSERT INTO contract_rows VALUES (1)");
            s.addBatch("INSERT INTO contract_rows VALUES (2)");
            BatchUpdateException ours = catchThrowableOfType(BatchUpdateException.class, s::executeBatch);
            assertThat(ours.getSQLState()).isEqualTo("25006");
            assertThat(ours.getUpdateCounts()).isEqualTo(pgjdbc.getUpdateCounts());
            assertThat((Throwable) ours.getNextException()).isNotNull();
            assertThat(ours.getNextException().getSQLState()).isEqualTo(pgjdbc.getNextException().getSQLState());
        }
    }

    @Test
    void metadataAndRefcursorResultSetsAnswerTheLogicalConnection() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.pgreplUrl(), cluster.credentials())) {
            for (Function<Connection, ResultSet> query : java.util.List.<Function<Connection, ResultSet>>of(
                    conn -> unchecked(() -> conn.getMetaData().getTables(null, null, "contract_rows", null)),
                    conn -> unchecked(() -> conn.getMetaData().getTypeInfo()),
                    conn -> unchecked(() -> conn.getMetaData().getColumns(null, null, "contract_rows", null)))) {
                try (ResultSet rs = query.apply(c)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getStatement()).isNotNull();
                    assertThat(rs.getStatement().getConnection()).isSameAs(c);
                }
            }

            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT contract_cursor()")) {
                assertThat(rs.next()).isTrue();
                try (ResultSet cursor = (ResultSet) rs.getObject(1)) {
                    assertThat(cursor.getStatement().getConnection()).isSameAs(c);
                    assertThat(cursor.next()).isTrue();
                    assertThat(cursor.getInt(1)).isEqualTo(1);
                }
            }
            c.rollback();
        }
    }

    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private static <T> T unchecked(SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
