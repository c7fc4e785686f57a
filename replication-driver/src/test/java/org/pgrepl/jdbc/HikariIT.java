package org.pgrepl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgrepl.infra.EmbeddedCluster;
import org.pgrepl.infra.PgClusterExtension;
import org.pgrepl.infra.Server;

/** HikariCP over pgrepl: read-only pools, one pool toggled per borrow (as Spring does), and load. */
@ExtendWith(PgClusterExtension.class)
class HikariIT {
    private static EmbeddedCluster cluster;
    private static Set<Integer> replicaPorts;

    @BeforeAll
    static void setUp(EmbeddedCluster c) throws SQLException {
        cluster = c;
        replicaPorts = Set.copyOf(c.replicas().stream().map(Server::port).toList());
        try (Connection conn = c.connect(c.primary()); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS hikari_rows (id serial PRIMARY KEY, n int)");
        }
    }

    private static HikariDataSource pool(String app, boolean readOnly, boolean viaDataSourceClass) {
        HikariConfig config = new HikariConfig();
        if (viaDataSourceClass) {
            config.setDataSourceClassName(PgReplDataSource.class.getName());
            config.addDataSourceProperty("url", cluster.pgreplUrl() + "?ApplicationName=" + app);
            config.addDataSourceProperty("user", cluster.user());
            config.addDataSourceProperty("password", cluster.password());
            config.addDataSourceProperty("replicaSelection", "roundRobin");
        } else {
            config.setJdbcUrl(cluster.pgreplUrl() + "?ApplicationName=" + app);
            config.setUsername(cluster.user());
            config.setPassword(cluster.password());
        }
        config.setReadOnly(readOnly);
        config.setMaximumPoolSize(8);
        config.setPoolName(app);
        return new HikariDataSource(config);
    }

    @Test
    void aReadOnlyPoolSendsEveryBorrowToAReplica() throws SQLException {
        try (HikariDataSource ds = pool("hikari-ro", true, true)) {
            for (int i = 0; i < 50; i++) {
                try (Connection c = ds.getConnection()) {
                    Served s = Served.by(c);
                    assertThat(s.inRecovery()).isTrue();
                    assertThat(replicaPorts).contains(s.port());
                }
            }
        }
    }

    @Test
    void oneSharedPoolToggledPerBorrowRoutesEveryBorrowRight() throws SQLException {
        try (HikariDataSource ds = pool("hikari-toggle", false, false)) {
            for (int i = 0; i < 200; i++) {
                boolean ro = i % 3 != 0;
                try (Connection c = ds.getConnection()) {
                    c.setReadOnly(ro);
                    c.setAutoCommit(false);
                    Served s = Served.by(c);
                    assertThat(s.inRecovery()).as("borrow %d read-only=%s", i, ro).isEqualTo(ro);
                    if (!ro) {
                        try (Statement st = c.createStatement()) {
                            st.executeUpdate("INSERT INTO hikari_rows (n) VALUES (" + i + ")");
                        }
                    }
                    c.commit();
                }
            }
        }
    }

    @Test
    void eightThreadsOfMixedWorkHaveNoErrorsAndLeaveNoConnectionOpen() throws Exception {
        String app = "hikari-load";
        AtomicInteger misrouted = new AtomicInteger();
        try (HikariDataSource ds = pool(app, false, false)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        boolean ro = ThreadLocalRandom.current().nextInt(10) < 8;
                        try (Connection c = ds.getConnection()) {
                            c.setReadOnly(ro);
                            if (ro) {
                                if (!Served.by(c).inRecovery()) {
                                    misrouted.incrementAndGet();
                                }
                            } else {
                                try (PreparedStatement ps = c.prepareStatement(
                                        "INSERT INTO hikari_rows (n) VALUES (?) RETURNING pg_is_in_recovery()")) {
                                    ps.setInt(1, i);
                                    try (ResultSet rs = ps.executeQuery()) {
                                        rs.next();
                                        if (rs.getBoolean(1)) {
                                            misrouted.incrementAndGet();
                                        }
                                    }
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(); // rethrows any error
            }
            threads.shutdown();
        }
        assertThat(misrouted).hasValue(0);
        for (Server s : cluster.servers()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (Connection c = cluster.connect(s); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                             + app + "'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("connections left open on %s", s).isZero();
                }
            });
        }
    }
}
